package dev.gatehouse.rego.ast;

/** Where a construct starts in its module. */
public record Location(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
