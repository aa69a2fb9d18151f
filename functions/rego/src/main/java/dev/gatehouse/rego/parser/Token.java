package dev.gatehouse.rego.parser;

/**
 * One lexical token.
 *
 * @param kind      what it is
 * @param text      identifier or operator text, or the decoded value of a string literal
 * @param line      1-based line
 * @param column    1-based column
 * @param offset    character offset of the token start
 * @param newline   true when a line break separates this token from the previous one
 * @param spaced    true when any whitespace separates this token from the previous one
 */
record Token(Kind kind, String text, int line, int column, int offset, boolean newline, boolean spaced) {

    enum Kind { IDENT, STRING, RAW_STRING, NUMBER, OP, EOF }

    boolean is(String op) {
        return (kind == Kind.OP || kind == Kind.IDENT) && text.equals(op);
    }
}
