package dev.gatehouse.rego.parser;

/** A module does not parse: OPA-style {@code file:line:col: rego_parse_error: message}. */
public final class RegoParseException extends Exception {

    private final String file;
    private final int line;
    private final int column;
    private final String detail;

    public RegoParseException(String file, int line, int column, String detail) {
        super(file + ":" + line + ":" + column + ": rego_parse_error: " + detail);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String detail() {
        return detail;
    }
}
