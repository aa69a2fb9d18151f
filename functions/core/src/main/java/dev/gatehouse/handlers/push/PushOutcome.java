package dev.gatehouse.handlers.push;

import dev.gatehouse.policy.Decision;
import java.util.Objects;

/** What the push handler did with one event of an envelope. */
public sealed interface PushOutcome permits PushOutcome.Verified, PushOutcome.Duplicate, PushOutcome.Ignored, PushOutcome.Failed {

    /** The registry's event id, or null when the event had none. */
    String eventId();

    /** The image was verified and the result stored and announced. */
    record Verified(String eventId, String reference, Decision.Outcome outcome, String policyRevision, long millis)
            implements PushOutcome {
        public Verified {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** The same work was already done (or is being done) for this digest and policy revision. */
    record Duplicate(String eventId, String reference, String reason) implements PushOutcome {}

    /** Nothing to verify: not a push, a broken event, or an attachment whose subject is not there yet. */
    record Ignored(String eventId, String reason) implements PushOutcome {}

    /**
     * Nothing was decided (a registry, policy or store failure): no result is stored, the claim is
     * released so a redelivery retries, and the failure is logged, counted and announced.
     */
    record Failed(String eventId, String reference, String reason) implements PushOutcome {}

    /** {@code verified}, {@code duplicate}, {@code ignored} or {@code failed}. */
    default String label() {
        if (this instanceof Verified) {
            return "verified";
        }
        if (this instanceof Duplicate) {
            return "duplicate";
        }
        return this instanceof Ignored ? "ignored" : "failed";
    }
}
