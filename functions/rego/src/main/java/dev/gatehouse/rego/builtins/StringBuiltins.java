package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.StringValue;

/** String builtins. */
final class StringBuiltins {

    private StringBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("concat", 2, (args, ctx) -> StringValue.of(String.join(Operands.string(args, 0), Operands.strings(args, 1))));
    }
}
