package dev.gatehouse.rego.eval;

import dev.gatehouse.rego.ast.Location;

/**
 * A compile or evaluation error with OPA's code and message, e.g.
 * {@code test-0.rego:4: eval_conflict_error: complete rules must not produce multiple outputs}.
 */
public class RegoException extends RuntimeException {

    private final String code;
    private final Location location;
    private final String detail;

    public RegoException(String code, Location location, String detail) {
        super(format(code, location, detail), null, false, false);
        this.code = code;
        this.location = location;
        this.detail = detail;
    }

    private static String format(String code, Location location, String detail) {
        if (location == null) {
            return code + ": " + detail;
        }
        String where = code.startsWith("eval_") ? location.file() + ":" + location.line() : location.toString();
        return where + ": " + code + ": " + detail;
    }

    /** OPA's error code, e.g. eval_type_error, rego_parse_error. */
    public String code() {
        return code;
    }

    public Location location() {
        return location;
    }

    /** The message without location and code. */
    public String detail() {
        return detail;
    }
}
