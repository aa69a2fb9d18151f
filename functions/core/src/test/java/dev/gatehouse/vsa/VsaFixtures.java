package dev.gatehouse.vsa;

import dev.gatehouse.attestation.InTotoStatement;
import dev.gatehouse.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Verification summaries generated in code for the VSA tests. */
final class VsaFixtures {

    static final String VERIFIER = "https://gatehouse.dev/verifier";
    static final String RESOURCE = "oci://registry.example/acme/app";
    static final Digest IMAGE = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));

    private VsaFixtures() {}

    static VerificationSummary summary(VerificationSummary.Result result, List<String> levels) {
        return new VerificationSummary(
                List.of(new InTotoStatement.Subject("registry.example/acme/app", Map.of("sha256", IMAGE.hex()))),
                VERIFIER, Map.of("gatehouse", "test"), Instant.parse("2026-11-27T01:00:00Z"), RESOURCE,
                new VerificationSummary.Policy("embedded:hardened", Map.of("sha256", "ab".repeat(32)), "rev-7",
                        Digest.sha256("trust".getBytes(StandardCharsets.UTF_8)).toString(), "allow"),
                List.of(new VerificationSummary.ResourceDescriptor(null, Map.of("sha256", "cd".repeat(32)))),
                result, levels, Map.of("SLSA_BUILD_LEVEL_3", 1), "1.0");
    }

    static VerificationSummary passed() {
        return summary(VerificationSummary.Result.PASSED, List.of("SLSA_BUILD_LEVEL_2", "GATEHOUSE_POLICY"));
    }

    static VsaVerifier.Expectations expect(List<String> levels) {
        return new VsaVerifier.Expectations(List.of(IMAGE.toString()), VERIFIER, RESOURCE, levels);
    }
}
