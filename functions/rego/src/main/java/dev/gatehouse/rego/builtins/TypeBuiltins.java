package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;

/** Type checks: is_number, ..., type_name. OPA's is_* are false (never undefined) for other types. */
final class TypeBuiltins {

    private TypeBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("is_number", 1, (a, c) -> BooleanValue.of(a[0] instanceof NumberValue));
        r.register("is_string", 1, (a, c) -> BooleanValue.of(a[0] instanceof StringValue));
        r.register("is_boolean", 1, (a, c) -> BooleanValue.of(a[0] instanceof BooleanValue));
        r.register("is_array", 1, (a, c) -> BooleanValue.of(a[0] instanceof ArrayValue));
        r.register("is_set", 1, (a, c) -> BooleanValue.of(a[0] instanceof SetValue));
        r.register("is_object", 1, (a, c) -> BooleanValue.of(a[0] instanceof ObjectValue));
        r.register("is_null", 1, (a, c) -> BooleanValue.of(a[0] instanceof NullValue));
        r.register("type_name", 1, (a, c) -> StringValue.of(a[0].typeName()));
    }
}
