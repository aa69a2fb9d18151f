package dev.gatehouse.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.policy.Decision;
import java.util.List;

/**
 * Everything a verification found and decided, for people (the CLI's text), machines (JSON,
 * SARIF, stored results) and replay: the policy input is kept whole.
 */
public record VerificationReport(String reference, String digest, String platform, Decision decision,
                                 List<EvidenceRecord> evidence, List<Suppression> suppressions, JsonNode input,
                                 Timings timings) {

    /** One piece of evidence and what became of it. */
    public record EvidenceRecord(String kind, String source, String digest, String predicateType, Status status, String detail) {}

    public enum Status { VERIFIED, REJECTED, UNSIGNED }

    /** A finding that a VEX statement suppressed, with the statement that decided it. */
    public record Suppression(String vulnerability, String component, String status, String justification, String document,
                              String author) {}

    /** Where the time went, in milliseconds. */
    public record Timings(long registryMillis, long verifyMillis, long policyMillis, long totalMillis) {}

    public VerificationReport {
        evidence = List.copyOf(evidence);
        suppressions = List.copyOf(suppressions);
    }
}
