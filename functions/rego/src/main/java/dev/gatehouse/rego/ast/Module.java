package dev.gatehouse.rego.ast;

import java.util.List;

/**
 * A parsed module.
 *
 * @param file     the name used in messages
 * @param pkg      the package path without {@code data}
 * @param imports  imports with their alias
 * @param rules    rules in source order
 * @param annotations METADATA blocks (YAML text) with the rule or package they precede, by line
 * @param regoVersion 0 or 1, the syntax it was parsed with
 * @param packageLine line of the package statement
 */
public record Module(String file, List<String> pkg, List<Import> imports, List<Rule> rules,
                     List<Annotation> annotations, int regoVersion, int packageLine) {

    /** {@code import data.a.b as c}: the path (root first) and the name it binds. */
    public record Import(List<Term> path, String alias, Location location) {
    }

    /** A METADATA comment block and where it appears. */
    public record Annotation(String yaml, Location location) {
    }
}
