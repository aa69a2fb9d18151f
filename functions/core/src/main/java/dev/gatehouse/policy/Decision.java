package dev.gatehouse.policy;

import java.util.List;

/**
 * What a policy bundle decided about one input: deny when any policy denied, warn when policies
 * only warned, allow otherwise.
 */
public record Decision(Outcome outcome, List<Violation> denials, List<Violation> warnings, String bundleRevision) {

    public enum Outcome { ALLOW, WARN, DENY }

    public Decision {
        denials = List.copyOf(denials);
        warnings = List.copyOf(warnings);
    }

    public static Decision of(List<Violation> denials, List<Violation> warnings, String bundleRevision) {
        Outcome outcome = !denials.isEmpty() ? Outcome.DENY : !warnings.isEmpty() ? Outcome.WARN : Outcome.ALLOW;
        return new Decision(outcome, denials, warnings, bundleRevision);
    }

    public boolean allowed() {
        return outcome != Outcome.DENY;
    }
}
