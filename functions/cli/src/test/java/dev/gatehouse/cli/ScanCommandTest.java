package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signing.LocalKeySigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    Path dir;

    @Test
    void scanWritesTheReportAndExitsOneWhenAnImageIsDenied() throws Exception {
        LocalKeySigner signer = LocalKeySigner.generate("sample-publisher");
        SampleTrust.write(dir.resolve("trust"), signer);
        SampleImages samples = new SampleImages(REGISTRY.repository("cli/app"), signer, Instant.now());
        samples.build(REGISTRY.host() + "/cli/app", "good", Set.of());
        samples.build(REGISTRY.host() + "/cli/app", "root", EnumSet.of(SampleDefect.ROOT_USER));

        LocalKeySigner platform = LocalKeySigner.generate(null);
        Path reportKey = Files.writeString(dir.resolve("reports.key"), platform.privateKeyPem());

        CliRun run = CliRun.of(CliArgs.of("scan", REGISTRY.host(), "--plain-http-unsafe", REGISTRY.host(), "--repository", "cli/app",
                CliArgs.sampleTrust(dir.resolve("trust")),
                "--report-signing-key", reportKey.toString(), "--out", dir.resolve("out").toString()));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains("2 images: 1 allow, 0 warn, 1 deny, 0 error");
        String html = run.out().lines().filter(l -> l.startsWith("report:")).findFirst().orElseThrow().substring(8).strip();
        String summary = run.out().lines().filter(l -> l.startsWith("summary:")).findFirst().orElseThrow().substring(8).strip();
        assertThat(Files.readString(Path.of(html))).contains("<svg").contains("GH-NONROOT");

        Path publicKey = Files.writeString(dir.resolve("reports.pub"), CliRun.of("keys", "export", "--key", reportKey.toString()).out());
        for (String report : new String[] {html, summary}) {
            CliRun verified = CliRun.of("verify-report", report, "--key", publicKey.toString());
            assertThat(verified.exitCode()).as(report + ": " + verified.err()).isZero();
        }
    }

    @Test
    void unreachableRegistryIsAnErrorOnOneLine() {
        CliRun run = CliRun.of("scan", "127.0.0.1:1", "--plain-http-unsafe", "127.0.0.1:1", "--registry-timeout", "2",
                "--out", dir.resolve("out").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("127.0.0.1:1");
    }
}
