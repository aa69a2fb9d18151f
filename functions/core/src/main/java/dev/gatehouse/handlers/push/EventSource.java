package dev.gatehouse.handlers.push;

/** Where a registry event came from, which decides how its envelope is read. */
public enum EventSource {
    /** Amazon ECR through EventBridge ({@code source aws.ecr}, {@code detail-type "ECR Image Action"} or {@code "ECR Referrer Action"}). */
    ECR_EVENTBRIDGE("ecr"),
    /** A CNCF distribution registry's notification endpoint ({@code {"events": [...]}}). */
    DISTRIBUTION("distribution");

    private final String label;

    EventSource(String label) {
        this.label = label;
    }

    /** The short name used in JSON output. */
    public String label() {
        return label;
    }
}
