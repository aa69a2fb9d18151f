package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rebuild options of {@code gatehouse serve}. What the listener does (buildah, hardening, the
 * default bundle passing the rebuild) is pinned end to end by core's RebuildEndToEndTest and by
 * RebuildRunCommandTest; here: it is wired, and a signing key without a catalog is refused.
 */
class ServeRebuildsTest {

    @TempDir
    Path dir;

    @Test
    void aRebuildCatalogAddsTheRebuildTriggerToThePushListeners() throws Exception {
        Files.writeString(dir.resolve("catalog.yaml"), "targets: []\n");
        int without;
        try (ServeFixture serve = ServeFixture.start("--data-dir", dir.toString())) {
            without = serve.context().listeners().size();
        }
        try (ServeFixture serve = ServeFixture.start("--data-dir", dir.toString(), "--rebuild-catalog", dir.resolve("catalog.yaml").toString())) {
            assertThat(serve.context().listeners()).hasSize(without + 1);
        }
    }

    @Test
    void aSigningKeyWithoutACatalogIsRefused() {
        CliRun run = CliRun.of("serve", "--port", "0", "--rebuild-signing-key", dir.resolve("platform.pem").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--rebuild-signing-key needs --rebuild-catalog");
    }
}
