package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyProvenanceCommandTest {

    @TempDir
    Path dir;

    @Test
    void malformedProvenanceFailsWithOneLineNamingFormatAndPlace() throws Exception {
        Path provenance = Files.writeString(dir.resolve("p.intoto.jsonl"), "{\"payloadType\": [1,");
        CliRun run = CliRun.of("verify-provenance", "--provenance-path", provenance.toString(), "--artifact-digest",
                "sha256:" + "a".repeat(64), "--source-uri", "github.com/o/r");
        assertThat(run.exitCode()).isEqualTo(VerifyProvenanceCommand.EXIT_NOT_VERIFIED);
        assertThat(run.firstErrorLine()).startsWith("invalid payload (ErrorInvalidDssePayload): provenance file at line 1, column");
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void artifactsWithoutProvenanceIsAUsageError() {
        CliRun run = CliRun.of("verify-provenance", "--artifact-digest", "sha256:" + "a".repeat(64), "--source-uri", "github.com/o/r");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("artifacts need --provenance-path");
    }

    @Test
    void unknownNonGithubBuilderIsUnsupported() throws Exception {
        Path provenance = Files.writeString(dir.resolve("p.json"), "{}");
        CliRun run = CliRun.of("verify-provenance", "--provenance-path", provenance.toString(), "--artifact-digest",
                "sha256:" + "a".repeat(64), "--source-uri", "github.com/o/r", "--builder-id", "https://gitlab.com/builder");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.firstErrorLine()).startsWith("unsupported builder (ErrorVerifierNotSupported)");
    }
}
