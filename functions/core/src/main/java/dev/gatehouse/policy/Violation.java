package dev.gatehouse.policy;

/**
 * One reason a policy denies or warns: the policy id (from its METADATA), the severity, a message
 * for people and a JSON pointer into the policy input naming the evidence.
 */
public record Violation(String policy, String severity, String message, String evidence) {

    public Violation {
        policy = policy == null || policy.isBlank() ? "unnamed" : policy;
        severity = severity == null || severity.isBlank() ? "unknown" : severity;
        message = message == null ? "" : message;
        evidence = evidence == null ? "" : evidence;
    }
}
