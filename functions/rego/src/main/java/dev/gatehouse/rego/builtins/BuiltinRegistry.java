package dev.gatehouse.rego.builtins;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Builtins by Rego name. The evaluator looks every call up here once, at compile time.
 *
 * <h2>Adding a builtin</h2>
 * <ol>
 *   <li>Pick the family class for it (one class per OPA family: {@code StringBuiltins},
 *       {@code AggregateBuiltins}, ...) or create one with a {@code static void register(BuiltinRegistry r)}
 *       method and add that method to {@link StandardBuiltins#register}.</li>
 *   <li>In it call {@code r.register("strings.replace_n", 2, (args, ctx) -> ...)}: the name exactly as in
 *       OPA, the number of inputs (the output is not counted), and a lambda that reads its arguments
 *       with {@link Operands} (which throws OPA's {@code operand N must be T but got U} type errors),
 *       returns the result value, or returns {@code null} when the result is undefined.</li>
 *   <li>Throw {@link BuiltinException#error} for OPA's eval_builtin_error and
 *       {@link BuiltinException#typeError}/{@link BuiltinException#operandType} for eval_type_error; give
 *       the message without the builtin name (the evaluator adds {@code name: }).</li>
 *   <li>Results that differ between calls (time, random, uuid) use {@link #registerNondeterministic} so one
 *       query sees one answer; builtins that succeed several times (OPA's {@code walk}) use
 *       {@link #registerRelation} and return an array of the results.</li>
 *   <li>Call {@link BuiltinContext#charge} in loops over large inputs so the query budget stays bounded.</li>
 * </ol>
 * Builtins that need the network are registered with {@link #registerUnsupported}, which fails with a clear
 * message instead of being an unknown function.
 */
public final class BuiltinRegistry {

    private final Map<String, Builtin> byName = new HashMap<>();

    /** A registry holding every standard builtin. */
    public static BuiltinRegistry standard() {
        BuiltinRegistry r = new BuiltinRegistry();
        StandardBuiltins.register(r);
        return r;
    }

    public BuiltinRegistry register(String name, int arity, BuiltinFunction function) {
        return add(new Builtin(name, arity, function, false, true));
    }

    public BuiltinRegistry registerNondeterministic(String name, int arity, BuiltinFunction function) {
        return add(new Builtin(name, arity, function, false, false));
    }

    public BuiltinRegistry registerRelation(String name, int arity, BuiltinFunction function) {
        return add(new Builtin(name, arity, function, true, true));
    }

    public BuiltinRegistry registerUnsupported(String name, int arity) {
        return add(new Builtin(name, arity, (args, ctx) -> {
            throw BuiltinException.error("not supported by Gatehouse (no network access from policies)");
        }, false, true));
    }

    public BuiltinRegistry add(Builtin builtin) {
        byName.put(builtin.name(), builtin);
        return this;
    }

    /** The builtin with this name, or null. */
    public Builtin lookup(String name) {
        return byName.get(name);
    }

    public Map<String, Builtin> all() {
        return Collections.unmodifiableMap(byName);
    }
}
