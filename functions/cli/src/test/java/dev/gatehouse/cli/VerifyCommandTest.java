package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.UntrustedJson;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {

    @TempDir
    Path dir;

    @Test
    void demoAllowsTheCompliantSampleAndDeniesTheDefectiveOne() {
        CliRun run = CliRun.of("demo", "--dir", dir.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("ALLOW  oci:").contains("DENY  oci:").contains("GH-NONROOT").contains("suppressed by VEX");
    }

    @Test
    void verifyExitCodesAndFormatsFollowTheDecision() throws Exception {
        assertThat(CliRun.of("demo", "--dir", dir.toString()).exitCode()).isZero();
        String layout = "oci:" + dir.resolve("layout");
        String[] trust = {"--trust-config", dir.resolve("trust/trust.yaml").toString(),
            "--trusted-builders", dir.resolve("trust/trusted-builders.json").toString()};

        CliRun allow = CliRun.of(concat(new String[] {"verify", layout + ":compliant", "--format", "json"}, trust));
        assertThat(allow.exitCode()).as(allow.err()).isZero();
        JsonNode report = UntrustedJson.parse(allow.out(), "report");
        assertThat(report.at("/decision/outcome").asText()).isEqualTo("allow");
        assertThat(report.at("/input/schema_version").asText()).isEqualTo("v1");

        CliRun deny = CliRun.of(concat(new String[] {"verify", layout + ":defective", "--format", "sarif"}, trust));
        assertThat(deny.exitCode()).isEqualTo(1);
        JsonNode sarif = UntrustedJson.parse(deny.out(), "sarif");
        assertThat(sarif.at("/runs/0/results").size()).isGreaterThan(0);

        CliRun untrusted = CliRun.of("verify", layout + ":compliant");
        assertThat(untrusted.exitCode()).isEqualTo(1);
        assertThat(untrusted.out()).contains("GH-SIGNED");

        CliRun missing = CliRun.of("verify", "oci:" + dir.resolve("nope"));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).doesNotContain("\tat ");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
