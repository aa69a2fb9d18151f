package dev.gatehouse.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.sample.TarLayer;
import dev.gatehouse.sbom.Inventory;
import dev.gatehouse.sbom.SbomReader;
import dev.gatehouse.signing.LocalKeySigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real generator: OWASP cdxgen 12.8.4 (npm {@code @cyclonedx/cdxgen}, installed by .ci/run;
 * skipped with a message when absent) inventories an image read back from the real registry by
 * digest. cdxgen exits 0 on an image it finds nothing in: the hardener refuses that SBOM.
 */
class CdxgenSbomTest {

    static final String CDXGEN = "/usr/bin/cdxgen";

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    Path dir;

    @BeforeEach
    void needsCdxgen() {
        assumeTrue(Files.isExecutable(Path.of(CDXGEN)),
                CDXGEN + " not installed (npm install -g @cyclonedx/cdxgen@12.8.4; .ci/run does it): cdxgen tests skipped");
    }

    @Test
    void theSbomListsTheDebianPackagesOfThePushedImage() throws Exception {
        OciRepository repository = REGISTRY.repository("cdxgen/debian");
        Descriptor image = RebuildFixtures.pushImage(repository, "1", "10001", debianFiles("libexample", "1.0.1"), Map.of());

        byte[] sbom = generator().sbomOf(repository, image, null, null);

        Inventory inventory = new SbomReader().read(sbom);
        assertThat(inventory.specVersion()).isEqualTo(CdxgenSbom.SPEC_VERSION);
        assertThat(inventory.components()).extracting(c -> c.purl() == null ? c.name() : c.purl().toString())
                .anyMatch(purl -> purl.startsWith("pkg:deb/debian/libexample@1.0.1"));
        assertThat(inventory.os().name()).isEqualTo("debian");
        assertThat(Files.list(dir.resolve("work"))).as("archives and cdxgen's files are removed").isEmpty();
    }

    @Test
    void anImageCdxgenFindsNothingInIsNotSigned() throws Exception {
        OciRepository repository = REGISTRY.repository("cdxgen/empty");
        Descriptor image = RebuildFixtures.pushImage(repository, "1", "10001",
                List.of(new TarLayer.Entry("app/data.txt", 0644, "nothing to inventory\n".getBytes(StandardCharsets.UTF_8))), Map.of());
        String target = REGISTRY.host() + "/cdxgen/empty";
        Digest baseDigest = Digest.sha256("base".getBytes(StandardCharsets.UTF_8));
        BuildRunner.BaseImage base = new BuildRunner.BaseImage(REGISTRY.host() + "/gatehouse/base/static", "1", baseDigest);
        BuildRunner.BuildRequest request = new BuildRunner.BuildRequest(new BuildDefinition.Containerfile(dir.resolve("Containerfile"), dir),
                base, target, "1", Map.of(), 1);
        RebuildHardener hardener = new RebuildHardener(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()),
                LocalKeySigner.generate("platform"), generator(), () -> new RebuildCatalog(List.of(), RebuildSettings.DEFAULTS),
                RebuildHardener.BUILDAH_BUILDER_ID, s -> { });

        assertThatThrownBy(() -> hardener.harden(request, new BuildRunner.Succeeded("b-1", target, "1", image.digest(), base, Instant.now())))
                .isInstanceOf(HardeningException.class).hasMessageContaining("lists no components");
        assertThat(repository.cosignArtifact(image.digest(), CosignTag.SIGNATURE)).isEmpty();
    }

    CdxgenSbom generator() {
        return new CdxgenSbom(CDXGEN, dir.resolve("work"), Duration.ofMinutes(5), 1L << 30);
    }

    /** A Debian root filesystem as trivy (cdxgen's OS inventory) recognises it: os-release, debian_version, dpkg status. */
    static List<TarLayer.Entry> debianFiles(String pkg, String version) {
        return List.of(
                new TarLayer.Entry("etc/os-release", 0644, """
                        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
                        NAME="Debian GNU/Linux"
                        VERSION_ID="12"
                        VERSION_CODENAME=bookworm
                        ID=debian
                        """.getBytes(StandardCharsets.UTF_8)),
                new TarLayer.Entry("etc/debian_version", 0644, "12.7\n".getBytes(StandardCharsets.UTF_8)),
                new TarLayer.Entry("var/lib/dpkg/status", 0644, dpkgStatus(pkg, version).getBytes(StandardCharsets.UTF_8)),
                new TarLayer.Entry("etc/passwd", 0644, "root:x:0:0:root:/root:/sbin/nologin\napp:x:10001:10001::/home/app:/sbin/nologin\n"
                        .getBytes(StandardCharsets.UTF_8)));
    }

    static String dpkgStatus(String pkg, String version) {
        return """
                Package: %s
                Status: install ok installed
                Priority: optional
                Section: libs
                Installed-Size: 10
                Maintainer: Gatehouse Tests <tests@gatehouse.dev>
                Architecture: amd64
                Version: %s
                Description: a fixture library

                """.formatted(pkg, version);
    }
}
