package dev.gatehouse.handlers.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** Per-event outcomes of one envelope, in the envelope's order. */
public record PushSummary(List<PushOutcome> outcomes) {

    public PushSummary {
        outcomes = List.copyOf(outcomes);
    }

    public long count(Class<? extends PushOutcome> kind) {
        return outcomes.stream().filter(kind::isInstance).count();
    }

    /** Whether some event could not be decided (the caller may want the envelope redelivered). */
    public boolean anyFailed() {
        return count(PushOutcome.Failed.class) > 0;
    }

    /**
     * {@code {"verified": n, "duplicate": n, "ignored": n, "failed": n, "events": [...]}}, each event
     * with {@code result}, {@code event_id} and its reference, outcome or reason.
     */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("verified", count(PushOutcome.Verified.class));
        root.put("duplicate", count(PushOutcome.Duplicate.class));
        root.put("ignored", count(PushOutcome.Ignored.class));
        root.put("failed", count(PushOutcome.Failed.class));
        ArrayNode events = root.putArray("events");
        for (PushOutcome outcome : outcomes) {
            ObjectNode e = events.addObject();
            e.put("result", outcome.label());
            e.put("event_id", outcome.eventId());
            if (outcome instanceof PushOutcome.Verified v) {
                e.put("reference", v.reference());
                e.put("outcome", v.outcome().name().toLowerCase(Locale.ROOT));
                e.put("policy_revision", v.policyRevision());
                e.put("millis", v.millis());
            } else if (outcome instanceof PushOutcome.Duplicate d) {
                e.put("reference", d.reference());
                e.put("reason", d.reason());
            } else if (outcome instanceof PushOutcome.Ignored i) {
                e.put("reason", i.reason());
            } else if (outcome instanceof PushOutcome.Failed f) {
                e.put("reference", f.reference());
                e.put("reason", f.reason());
            }
        }
        return root;
    }
}
