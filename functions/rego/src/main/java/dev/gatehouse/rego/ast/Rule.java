package dev.gatehouse.rego.ast;

import java.util.List;

/**
 * A rule as written. {@code head} is the rule reference relative to the package (first element
 * the rule name as a string constant, then constants or variables). A function has {@code args};
 * a multi-value rule ({@code contains}) has {@code key}; {@code value} is null when it is {@code true}.
 * {@code assign} says the value was given with {@code :=} rather than {@code =}.
 */
public record Rule(Location location, List<Term> head, List<Term> args, Term key, Term value,
                   boolean isDefault, List<Literal> body, Rule elseRule, boolean assign) {

    public boolean isFunction() {
        return args != null;
    }

    public boolean isMultiValue() {
        return key != null;
    }

    /** The rule name (first head element). */
    public String name() {
        return ((dev.gatehouse.rego.value.StringValue) ((Term.Const) head.get(0)).value()).value();
    }
}
