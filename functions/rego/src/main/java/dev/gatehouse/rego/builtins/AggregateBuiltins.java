package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;

/** Aggregates: count, sum, max, ... */
final class AggregateBuiltins {

    private AggregateBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("count", 1, (args, ctx) -> {
            Value v = args[0];
            if (v instanceof ArrayValue a) {
                return NumberValue.of(a.size());
            }
            if (v instanceof ObjectValue o) {
                return NumberValue.of(o.size());
            }
            if (v instanceof SetValue s) {
                return NumberValue.of(s.size());
            }
            if (v instanceof StringValue s) {
                return NumberValue.of(s.value().codePointCount(0, s.value().length()));
            }
            throw BuiltinException.operandType(1, v, "array", "object", "set", "string");
        });
    }
}
