package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** graph.reachable, graph.reachable_paths, and the runtime helpers opa.runtime and trace. */
final class GraphBuiltins {

    private GraphBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("graph.reachable", 2, (a, c) -> {
            ObjectValue graph = Operands.object(a, 0);
            ArrayDeque<Value> queue = new ArrayDeque<>(vertices(a[1], 2));
            SetValue.Builder reached = SetValue.builder();
            while (!queue.isEmpty()) {
                Value node = queue.poll();
                Value edges = graph.get(node);
                if (edges != null) {
                    c.charge(1);
                    for (Value n : neighbours(edges)) {
                        if (!reached.contains(n)) {
                            queue.add(n);
                        }
                    }
                    reached.add(node);
                }
            }
            return reached.build();
        });
        r.register("graph.reachable_paths", 2, (a, c) -> {
            ObjectValue graph = Operands.object(a, 0);
            SetValue.Builder out = SetValue.builder();
            for (Value root : vertices(a[1], 2)) {
                List<Value> path = new ArrayList<>();
                path.add(root);
                paths(graph, root, path, new HashSet<>(), out, c);
            }
            return out.build();
        });
        r.register("opa.runtime", 0, (a, c) -> ObjectValue.EMPTY);
        r.register("trace", 1, (a, c) -> {
            Operands.string(a, 0);
            return BooleanValue.TRUE;
        });
    }

    private static List<Value> vertices(Value v, int position) throws BuiltinException {
        if (v instanceof ArrayValue arr) {
            return arr.elements();
        }
        if (v instanceof SetValue s) {
            return s.sorted();
        }
        throw BuiltinException.operandType(position, v, "set", "array");
    }

    private static List<Value> neighbours(Value edges) {
        if (edges instanceof ArrayValue arr) {
            return arr.elements();
        }
        if (edges instanceof SetValue s) {
            return s.sorted();
        }
        return List.of();
    }

    private static void paths(ObjectValue graph, Value node, List<Value> path, Set<Value> reached, SetValue.Builder out,
            BuiltinContext c) throws BuiltinException {
        c.charge(1);
        Value edges = graph.get(node);
        List<Value> next = edges == null ? List.of() : neighbours(edges);
        if (next.isEmpty()) {
            out.add(ArrayValue.of(path));
            return;
        }
        reached.add(node);
        for (Value n : next) {
            if (reached.contains(n)) {
                out.add(ArrayValue.of(path));
            } else {
                path.add(n);
                paths(graph, n, path, reached, out, c);
                path.remove(path.size() - 1);
            }
        }
        reached.remove(node);
    }
}
