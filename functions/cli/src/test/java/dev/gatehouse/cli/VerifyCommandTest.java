package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.testing.Oracles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

        // An operator-supplied scan or VEX that cannot be read is an error, never evidence left out of the decision.
        Path scan = Files.writeString(dir.resolve("scan.json"), "{\"SchemaVersion\": 2, \"Results\": 7}");
        CliRun malformedScan = CliRun.of(concat(new String[] {"verify", layout + ":compliant", "--scan", scan.toString()}, trust));
        assertThat(malformedScan.exitCode()).as(malformedScan.out()).isEqualTo(2);
        assertThat(malformedScan.firstErrorLine()).isEqualTo("gatehouse verify: " + scan + ": Trivy JSON at /Results: expected an array, found number");

        CliRun missing = CliRun.of("verify", "oci:" + dir.resolve("nope"));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).doesNotContain("\tat ");
    }

    /**
     * The real image slsa-github-generator built (oracle layout, keyless provenance in its cosign
     * .att): the provenance verifies at SLSA Build L3 from the trusted generator, and the verdict is
     * a deny that names exactly what this image lacks for the hardened bundle.
     */
    @Test
    void slsaVerifierContainerLayoutIsDeniedForWhatItLacksWithItsProvenanceVerifiedAtLevel3() throws Exception {
        Path layout = Oracles.require("slsa-provenance/slsa-verifier/testdata/gha_generic_container/v2.1.0/container_workflow_dispatch");
        Path root = Oracles.require("sigstore-trusted-root/production/trusted_root.json");
        Path trust = dir.resolve("trust.yaml");
        Files.writeString(trust, """
                version: 1
                policies:
                  - name: slsa-github-generator
                    images: ["oci:**"]
                    authorities:
                      - name: generator-container-slsa3
                        keyless:
                          issuer: https://token.actions.githubusercontent.com
                          subjectRegExp: "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v[0-9.]+"
                          sct: required
                        trustedRoot: %s
                        tlog: required
                """.formatted(root));

        CliRun run = CliRun.of("verify", "oci:" + layout, "--trust-config", trust.toString(), "--format", "json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        JsonNode report = UntrustedJson.parse(run.out(), "report");
        assertThat(report.at("/input/provenance/builder/trusted").asBoolean()).isTrue();
        assertThat(report.at("/input/provenance/level").asInt()).isEqualTo(3);
        assertThat(report.at("/input/provenance/source/uri").asText()).contains("github.com/slsa-framework/example-package");
        List<String> denied = new ArrayList<>();
        report.at("/decision/deny").forEach(v -> denied.add(v.path("policy").asText()));
        assertThat(denied).containsExactlyInAnyOrder("GH-SIGNED", "GH-SBOM", "GH-NONROOT");

        CliRun text = CliRun.of("verify", "oci:" + layout, "--trust-config", trust.toString());
        assertThat(text.out()).contains("DENY").contains("(trusted, L3)").contains("image runs as root")
                .contains("no SBOM attached");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
