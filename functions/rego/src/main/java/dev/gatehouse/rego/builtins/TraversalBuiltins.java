package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code walk} (a relation over every [path, value] pair, parents first) and the {@code rego.metadata} placeholders. */
final class TraversalBuiltins {

    private TraversalBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        // The compiler replaces these two with the calling rule's annotations; outside rules they are empty.
        r.register("rego.metadata.chain", 0, (args, ctx) -> dev.gatehouse.rego.value.ArrayValue.EMPTY);
        r.register("rego.metadata.rule", 0, (args, ctx) -> ObjectValue.EMPTY);
        r.registerRelation("walk", 1, (args, ctx) -> {
            List<Value> out = new ArrayList<>();
            walk(args[0], new ArrayList<>(), out, ctx);
            return ArrayValue.of(out);
        });
    }

    private static void walk(Value v, List<Value> path, List<Value> out, BuiltinContext ctx) throws BuiltinException {
        ctx.charge(1);
        out.add(ArrayValue.of(ArrayValue.of(path), v));
        if (v instanceof ArrayValue a) {
            for (int i = 0; i < a.size(); i++) {
                path.add(NumberValue.of(i));
                walk(a.get(i), path, out, ctx);
                path.remove(path.size() - 1);
            }
        } else if (v instanceof ObjectValue o) {
            for (Map.Entry<Value, Value> e : o.entrySet()) {
                path.add(e.getKey());
                walk(e.getValue(), path, out, ctx);
                path.remove(path.size() - 1);
            }
        } else if (v instanceof SetValue s) {
            for (Value e : s.elements()) {
                path.add(e);
                walk(e, path, out, ctx);
                path.remove(path.size() - 1);
            }
        }
    }
}
