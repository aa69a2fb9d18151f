package dev.gatehouse.sbom;

import dev.gatehouse.io.MalformedInputException;
import java.util.List;

/**
 * A well-formed JSON document that breaks its SBOM format's rules. The message names the format,
 * the first violation's place and how many more there are; {@link #violations()} has them all.
 */
public class InvalidSbomException extends MalformedInputException {

    private final transient List<SchemaViolation> violations;

    public InvalidSbomException(String format, List<SchemaViolation> violations) {
        super(format, first(violations).location().isEmpty() ? "/" : first(violations).location(),
                first(violations).message()
                        + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more violations)" : ""));
        this.violations = List.copyOf(violations);
    }

    private static SchemaViolation first(List<SchemaViolation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("no violations");
        }
        return violations.get(0);
    }

    public List<SchemaViolation> violations() {
        return violations;
    }
}
