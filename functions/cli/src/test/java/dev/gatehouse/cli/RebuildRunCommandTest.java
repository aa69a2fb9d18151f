package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.local.JsonLinesImageGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse rebuild run} with real buildah against the real registry (skipped without buildah). */
class RebuildRunCommandTest {

    static final String BUILDAH = "/usr/bin/buildah";

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

    static void buildah(Path storage, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(BUILDAH, "--storage-driver", "vfs", "--root", storage.resolve("storage").toString(),
                "--runroot", storage.resolve("run").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }
}
