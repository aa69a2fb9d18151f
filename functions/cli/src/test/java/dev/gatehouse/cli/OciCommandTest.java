package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.Platform;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class OciCommandTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    Path dir;

    @Test
    void resolvePrintsTheIndexDigestAndItsPlatforms() throws Exception {
        TestImages.TestIndex multi = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"));
        multi.pushTo(REGISTRY.repository("cli/multi"), "v1");
        String image = REGISTRY.host() + "/cli/multi:v1";

        CliRun run = CliRun.of("oci", "resolve", "--plain-http-unsafe", REGISTRY.host(), "--docker-config", dir.resolve("none.json").toString(), image);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith(REGISTRY.host() + "/cli/multi@" + multi.index().digest())
                .contains("linux/arm64 " + multi.images().get(1).manifest().digest());

        CliRun arm = CliRun.of("oci", "resolve", "--plain-http-unsafe", REGISTRY.host(), "--platform", "linux/arm64", image);
        assertThat(arm.out()).startsWith(REGISTRY.host() + "/cli/multi@" + multi.images().get(1).manifest().digest());
    }

    @Test
    void discoverListsReferrersAndCosignTagsOfTheDigestsThatCount() throws Exception {
        OciRepository repo = REGISTRY.repository("cli/attached");
        TestImages.TestIndex multi = TestImages.multiArch(Platform.of("linux", "amd64"));
        Descriptor index = multi.pushTo(repo, "v1");
        ImageManifest sbom = TestImages.referrer(repo, index, "application/spdx+json", "{}".getBytes(StandardCharsets.UTF_8),
                "application/spdx+json");
        repo.putManifest(sbom, null);
        ImageManifest sig = TestImages.referrer(repo, index, "application/vnd.dev.cosign.simplesigning.v1+json",
                "{}".getBytes(StandardCharsets.UTF_8), "application/vnd.dev.cosign.simplesigning.v1+json");
        repo.putManifest(sig, CosignTag.SIGNATURE.tagFor(index.digest()));

        CliRun run = CliRun.of("oci", "discover", "--plain-http-unsafe", REGISTRY.host(), "--platform", "linux/amd64",
                REGISTRY.host() + "/cli/attached:v1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("@" + multi.images().get(0).manifest().digest())
                .contains("@" + index.digest())
                .contains("referrer " + sbom.digest() + " application/spdx+json")
                .contains("cosign sig " + sig.digest());
    }

    @Test
    void worksOfflineOnALayoutAndFailsInOneLine() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir.resolve("layout"));
        TestImages.TestImage image = TestImages.image();
        image.pushTo(layout, "v1");
        CliRun run = CliRun.of("oci", "resolve", "oci:" + layout.directory() + ":v1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("@" + image.manifest().digest());
        assertThat(CliRun.of("oci", "tags", "oci:" + layout.directory()).out().strip()).isEqualTo("v1");

        CliRun missing = CliRun.of("oci", "resolve", "oci:" + layout.directory() + ":v2");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.firstErrorLine()).startsWith("gatehouse oci resolve: oci:").contains("no tag 'v2'");
        CliRun bad = CliRun.of("oci", "resolve", "Not/Valid");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip()).doesNotContain("\n").contains("invalid image reference");
    }

    @Test
    void privateCaBundleIsTrustedForTls() throws Exception {
        LocalRegistry tls = LocalRegistry.anonymous().withTls();
        tls.start();
        try {
            TestImages.TestImage image = TestImages.image();
            image.pushTo(tls.repository("cli/tls"), "v1");
            CliRun run = CliRun.of("oci", "resolve", "--registry-ca", tls.caBundle().toString(), tls.host() + "/cli/tls:v1");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("@" + image.manifest().digest());
        } finally {
            tls.stop();
        }
    }

    @Test
    void plainHttpIsRefusedUnlessAllowed() {
        CliRun run = CliRun.of("oci", "tags", "--registry-timeout", "5", REGISTRY.host() + "/cli/none");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains(REGISTRY.host()).contains("TLS");
    }
}
