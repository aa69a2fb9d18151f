package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.Value;

/**
 * The Java side of one builtin: receives the evaluated arguments (never null, never fewer than
 * the declared arity) and returns the result, or {@code null} when the result is undefined.
 */
@FunctionalInterface
public interface BuiltinFunction {

    Value apply(Value[] args, BuiltinContext context) throws BuiltinException;
}
