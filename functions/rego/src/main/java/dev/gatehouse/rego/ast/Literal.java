package dev.gatehouse.rego.ast;

import java.util.List;

/** One body expression with its negation and {@code with} modifiers. */
public record Literal(Expr expr, boolean negated, List<With> withs, Location location) {

    /** {@code with target as value}. */
    public record With(Term target, Term value) {
    }
}
