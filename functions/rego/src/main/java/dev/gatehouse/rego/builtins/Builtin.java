package dev.gatehouse.rego.builtins;

/**
 * A registered builtin.
 *
 * @param name        the Rego name, e.g. {@code strings.replace_n}
 * @param arity       number of input arguments, or {@link #VARIADIC} (only {@code print})
 * @param function    the implementation
 * @param relation    when true the function returns an array of results and the call succeeds
 *                    once per element (like OPA's {@code walk})
 * @param deterministic false for builtins whose result changes between calls (time, rand, uuid);
 *                    the evaluator then keeps one result per query for equal arguments
 */
public record Builtin(String name, int arity, BuiltinFunction function, boolean relation, boolean deterministic) {

    public static final int VARIADIC = -1;
}
