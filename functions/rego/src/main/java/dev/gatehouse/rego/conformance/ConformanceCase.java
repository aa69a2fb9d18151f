package dev.gatehouse.rego.conformance;

/**
 * The outcome of one OPA conformance case.
 *
 * @param file   the YAML file
 * @param note   the case's note
 * @param status pass, fail or skip
 * @param reason why it failed or was skipped (empty when it passed)
 */
public record ConformanceCase(String file, String note, Status status, String reason) {

    public enum Status { PASS, FAIL, SKIP }
}
