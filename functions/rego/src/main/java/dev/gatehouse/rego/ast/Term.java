package dev.gatehouse.rego.ast;

import dev.gatehouse.rego.value.Value;
import java.util.List;

/** A Rego term as parsed. Compilation turns variables into {@link Local} slots or references. */
public sealed interface Term {

    /** A ground scalar or composite. */
    record Const(Value value) implements Term {
    }

    /** A variable by name; {@code _} is given a unique name by the parser. */
    record Var(String name, Location location) implements Term {
    }

    /** A compiled local variable: slot in the rule's frame. */
    record Local(int slot, String name) implements Term {
    }

    /** {@code head[path0][path1]...}; dotted segments are string constants. */
    record Ref(Term head, List<Term> path, Location location) implements Term {
    }

    record ArrayTerm(List<Term> elements) implements Term {
    }

    record SetTerm(List<Term> elements) implements Term {
    }

    record ObjectTerm(List<Term> keys, List<Term> values) implements Term {
    }

    record ArrayCompr(Term head, List<Literal> body) implements Term {
    }

    record SetCompr(Term head, List<Literal> body) implements Term {
    }

    record ObjectCompr(Term key, Term value, List<Literal> body) implements Term {
    }

    /**
     * A call. {@code operator} names the function as written (a Var or Ref); after compilation
     * {@code target} says what it calls.
     */
    record Call(Term operator, List<Term> args, Location location, CallTarget target) implements Term {
    }
}
