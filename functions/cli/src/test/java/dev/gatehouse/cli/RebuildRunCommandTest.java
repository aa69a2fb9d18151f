package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.local.JsonLinesImageGraph;
import dev.gatehouse.signing.LocalKeySigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse rebuild run} with real buildah against the real registry (skipped without buildah). */
class RebuildRunCommandTest {

    static final String BUILDAH = "/usr/bin/buildah";
    static final String CDXGEN = "/usr/bin/cdxgen";

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    Path dir;

    @Test
    void runBuildsTheDependentOnTheNewBaseDigestAndRecordsIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(BUILDAH)), BUILDAH + " not installed (apt-get install buildah; .ci/run does it): skipped");
        String host = REGISTRY.host();
        Path baseContext = Files.createDirectories(dir.resolve("base"));
        Files.writeString(baseContext.resolve("motd"), "base v2\n");
        Files.writeString(baseContext.resolve("Containerfile"), "FROM scratch\nCOPY motd /etc/motd\n");
        Path storage = dir.resolve("storage");
        buildah(storage, "bud", "--isolation", "chroot", "--format", "oci", "-f", baseContext.resolve("Containerfile").toString(),
                "-t", "localhost/run-base", baseContext.toString());
        buildah(storage, "push", "--tls-verify=false", "--digestfile", dir.resolve("d").toString(), "localhost/run-base",
                "docker://" + host + "/run/base:latest");
        Digest base2 = Digest.parse(Files.readString(dir.resolve("d")).strip());

        Path app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("hello"), "hello\n");
        Files.writeString(app.resolve("Containerfile"), "FROM placeholder\nCOPY hello /hello\n");
        Files.writeString(dir.resolve("catalog.yaml"), """
                targets:
                  - {repository: %1$s/run/app, tag: "1", base: "%1$s/run/base:latest", containerfile: app/Containerfile}
                """.formatted(host));
        Path graphFile = dir.resolve("graph.jsonl");
        Digest base1 = Digest.sha256("base v1".getBytes(StandardCharsets.UTF_8));
        JsonLinesImageGraph.open(graphFile).record(new ImageGraph.Edge(
                new ImageGraph.ImageRef(host + "/run/app", Digest.sha256("app v1".getBytes(StandardCharsets.UTF_8))),
                new ImageGraph.BaseRef(host + "/run/base", "latest", base1), Instant.parse("2026-11-26T10:00:00Z")));

        CliRun run = CliRun.of("rebuild", "run", host + "/run/base:latest", "--catalog", dir.resolve("catalog.yaml").toString(),
                "--graph", graphFile.toString(), "--plain-http-unsafe", host, "--storage", storage.toString(), "--format", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        var json = UntrustedJson.parse(run.out(), "run output");
        assertThat(json.at("/outcomes/0/result").asText()).isEqualTo("built");
        assertThat(json.at("/outcomes/0/base_digest").asText()).isEqualTo(base2.toString());
        Digest pushed = Digest.parse(json.at("/outcomes/0/digest").asText());
        OciRepository repo = REGISTRY.repository("run/app");
        assertThat(((ImageManifest) repo.manifest(repo.resolve("1"))).annotations())
                .containsEntry("org.opencontainers.image.base.digest", base2.toString());
        assertThat(repo.resolve("1").digest()).isEqualTo(pushed);
        assertThat(JsonLinesImageGraph.open(graphFile).dependentsOfDigest(host + "/run/base", base2))
                .extracting(e -> e.image().digest()).containsExactly(pushed);

        CliRun again = CliRun.of("rebuild", "plan", host + "/run/base:latest", "--catalog", dir.resolve("catalog.yaml").toString(),
                "--graph", graphFile.toString(), "--plain-http-unsafe", host);
        assertThat(again.out()).contains("nothing to rebuild").contains("already built on");
    }

    @Test
    void withASigningKeyTheRebuildComesOutHardenedAndPassesVerifyWithTheDefaultBundle() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(BUILDAH)), BUILDAH + " not installed (apt-get install buildah; .ci/run does it): skipped");
        assumeTrue(Files.isExecutable(Path.of(CDXGEN)), CDXGEN + " not installed (npm install -g @cyclonedx/cdxgen@12.8.4; .ci/run does it): skipped");
        String host = REGISTRY.host();
        Path rootfs = Files.createDirectories(dir.resolve("base/rootfs/etc"));
        Files.writeString(rootfs.resolve("os-release"), "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n");
        Files.writeString(rootfs.resolve("debian_version"), "12.7\n");
        Files.writeString(rootfs.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\napp:x:10001:10001::/home/app:/sbin/nologin\n");
        Path dpkg = Files.createDirectories(dir.resolve("base/rootfs/var/lib/dpkg"));
        Files.writeString(dpkg.resolve("status"), "Package: libexample\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0.1\n"
                + "Maintainer: Gatehouse Tests <tests@gatehouse.dev>\nDescription: a fixture library\n\n");
        Files.writeString(dir.resolve("base/Containerfile"), "FROM scratch\nCOPY rootfs/ /\nUSER 10001\n");
        Path storage = dir.resolve("storage");
        buildah(storage, "bud", "--isolation", "chroot", "--format", "oci", "-f", dir.resolve("base/Containerfile").toString(),
                "-t", "localhost/hardened-base", dir.resolve("base").toString());
        buildah(storage, "push", "--tls-verify=false", "localhost/hardened-base", "docker://" + host + "/gatehouse/base/debian:12");
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("hello"), "hello\n");
        Files.writeString(app.resolve("Containerfile"), "FROM placeholder\nCOPY hello /app/hello\nUSER 10001\n");
        Files.writeString(dir.resolve("catalog.yaml"), """
                targets:
                  - repository: %1$s/hardened/app
                    tag: "1"
                    base: "%1$s/gatehouse/base/debian:12"
                    source: git+https://git.gatehouse.test/platform/images@refs/heads/main
                    containerfile: app/Containerfile
                """.formatted(host));
        Path graphFile = dir.resolve("graph.jsonl");
        JsonLinesImageGraph.open(graphFile).record(new ImageGraph.Edge(
                new ImageGraph.ImageRef(host + "/hardened/app", Digest.sha256("app v1".getBytes(StandardCharsets.UTF_8))),
                new ImageGraph.BaseRef(host + "/gatehouse/base/debian", "12", Digest.sha256("base v1".getBytes(StandardCharsets.UTF_8))),
                Instant.parse("2026-11-26T10:00:00Z")));
        LocalKeySigner platform = LocalKeySigner.generate(null);
        Files.writeString(dir.resolve("platform.pem"), platform.privateKeyPem());
        Files.writeString(dir.resolve("platform.pub"), platform.publicKeyPem());
        Files.writeString(dir.resolve("trust.yaml"), """
                version: 1
                policies:
                  - {name: platform, images: ["**"], authorities: [{name: gatehouse-platform, key: {file: platform.pub}, tlog: none}]}
                """);
        Files.writeString(dir.resolve("trusted-builders.json"), """
                {"builders": [{"id": "https://gatehouse.dev/builders/rebuild/buildah", "platform": "gatehouse-rebuild",
                  "role": "hosted-builder", "slsaLevel": 3, "trustedByDefault": ["image"],
                  "buildTypes": {"https://gatehouse.dev/buildtypes/rebuild/v1": "generator"}}]}
                """);

        CliRun run = CliRun.of("rebuild", "run", host + "/gatehouse/base/debian:12", "--catalog", dir.resolve("catalog.yaml").toString(),
                "--graph", graphFile.toString(), "--plain-http-unsafe", host, "--storage", storage.toString(), "--format", "json",
                "--rebuild-signing-key", dir.resolve("platform.pem").toString(), "--cdxgen", CDXGEN);

        assertThat(run.exitCode()).as(run.err()).isZero();
        String rebuilt = host + "/hardened/app@" + UntrustedJson.parse(run.out(), "run output").at("/outcomes/0/digest").asText();
        assertThat(run.err()).contains("rebuild: hardened " + host + "/hardened/app@");
        String[] verify = {"verify", rebuilt, "--trust-config", dir.resolve("trust.yaml").toString(), "--trusted-builders",
                dir.resolve("trusted-builders.json").toString(), "--plain-http-unsafe", host};
        CliRun verified = CliRun.of(verify);
        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();

        OciRepository repo = REGISTRY.repository("hardened/app");
        Digest digest = Digest.parse(rebuilt.substring(rebuilt.indexOf('@') + 1));
        Descriptor config = repo.putBlob("{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_CONFIG);
        repo.putManifest(ImageManifest.build(null, config, List.of(), null, Map.of()), CosignTag.SIGNATURE.tagFor(digest));
        CliRun unsigned = CliRun.of(verify);
        assertThat(unsigned.exitCode()).as(unsigned.out() + unsigned.err()).isEqualTo(1);
        assertThat(unsigned.out()).contains("GH-SIGNED");
    }

    static void buildah(Path storage, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(BUILDAH, "--storage-driver", "vfs", "--root", storage.resolve("storage").toString(),
                "--runroot", storage.resolve("run").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }
}
