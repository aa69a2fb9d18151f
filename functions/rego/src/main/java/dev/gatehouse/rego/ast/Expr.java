package dev.gatehouse.rego.ast;

import java.util.List;

/** The expression kinds of a rule body. */
public sealed interface Expr {

    /** A term that must be defined and not false (includes calls like {@code x > 1}). */
    record TermExpr(Term term) implements Expr {
    }

    /** {@code a = b}, or {@code a := b} when {@code declare}. */
    record Unify(Term left, Term right, boolean declare) implements Expr {
    }

    /** {@code some x, y}. */
    record SomeDecl(List<Term.Var> vars) implements Expr {
    }

    /** {@code some [key,] value in collection}. */
    record SomeIn(Term key, Term value, Term collection) implements Expr {
    }

    /** {@code not { a; b }}: a nested body (negated). */
    record Block(List<Literal> body) implements Expr {
    }

    /** {@code every [key,] value in collection { body }}. */
    record Every(Term key, Term value, Term collection, List<Literal> body) implements Expr {
    }
}
