package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.Value;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Objects: object.get, remove, union, union_n, filter, keys, subset. */
final class ObjectBuiltins {

    private ObjectBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("object.get", 3, (a, c) -> {
            ObjectValue o = Operands.object(a, 0);
            if (!(a[1] instanceof ArrayValue path)) {
                Value v = o.get(a[1]);
                return v != null ? v : a[2];
            }
            Value v = find(o, path.elements());
            return v != null ? v : a[2];
        });
        r.register("object.remove", 2, (a, c) -> {
            ObjectValue o = Operands.object(a, 0);
            Collection<Value> keys = keys(a, 1);
            ObjectValue.Builder b = ObjectValue.builder();
            for (Map.Entry<Value, Value> e : o.entrySet()) {
                if (!keys.contains(e.getKey())) {
                    b.put(e.getKey(), e.getValue());
                }
            }
            return b.build();
        });
        r.register("object.filter", 2, (a, c) -> {
            ObjectValue o = Operands.object(a, 0);
            Collection<Value> keys = keys(a, 1);
            ObjectValue.Builder b = ObjectValue.builder();
            for (Map.Entry<Value, Value> e : o.entrySet()) {
                if (keys.contains(e.getKey())) {
                    b.put(e.getKey(), e.getValue());
                }
            }
            return b.build();
        });
        r.register("object.union", 2, (a, c) -> union(Operands.object(a, 0), Operands.object(a, 1), c));
        r.register("object.union_n", 1, (a, c) -> {
            ArrayValue arr = Operands.array(a, 0);
            ObjectValue result = ObjectValue.EMPTY;
            for (Value v : arr.elements()) {
                if (!(v instanceof ObjectValue o)) {
                    throw BuiltinException.typeError("operand 1 must be array of objects but got array containing " + v.typeName());
                }
                result = union(result, o, c);
            }
            return result;
        });
        r.register("object.keys", 1, (a, c) -> SetValue.of(Operands.object(a, 0).keySet()));
        r.register("object.subset", 2, (a, c) -> {
            Value sup = a[0];
            Value sub = a[1];
            if (!(sup instanceof ObjectValue || sup instanceof ArrayValue || sup instanceof SetValue)) {
                throw BuiltinException.operandType(1, sup, "object", "array", "set");
            }
            if (!(sub instanceof ObjectValue || sub instanceof ArrayValue || sub instanceof SetValue)) {
                throw BuiltinException.operandType(2, sub, "object", "array", "set");
            }
            if (sup instanceof ObjectValue && !(sub instanceof ObjectValue)) {
                throw BuiltinException.operandType(2, sub, "object");
            }
            if (sup instanceof SetValue && !(sub instanceof SetValue)) {
                throw BuiltinException.operandType(2, sub, "set");
            }
            return BooleanValue.of(subset(sup, sub));
        });
    }

    /** The value under a path of keys, indexes or set elements, or null. */
    static Value find(Value v, List<Value> path) {
        for (Value k : path) {
            if (v instanceof ObjectValue o) {
                v = o.get(k);
            } else if (v instanceof ArrayValue arr && k instanceof NumberValue n) {
                Integer i = n.intValueExact();
                v = i != null && i >= 0 && i < arr.size() ? arr.get(i) : null;
            } else if (v instanceof SetValue s) {
                v = s.contains(k) ? k : null;
            } else {
                v = null;
            }
            if (v == null) {
                return null;
            }
        }
        return v;
    }

    private static Collection<Value> keys(Value[] a, int i) throws BuiltinException {
        if (a[i] instanceof ObjectValue o) {
            return o.keySet();
        }
        if (a[i] instanceof SetValue s) {
            return s.elements();
        }
        if (a[i] instanceof ArrayValue arr) {
            return new java.util.HashSet<>(arr.elements());
        }
        throw BuiltinException.operandType(i + 1, a[i], "object", "set", "array");
    }

    /** Deep merge where {@code b} wins, except that two objects under one key are merged. */
    static ObjectValue union(ObjectValue a, ObjectValue b, BuiltinContext c) throws BuiltinException {
        c.charge(b.size());
        ObjectValue.Builder out = ObjectValue.builder();
        for (Map.Entry<Value, Value> e : a.entrySet()) {
            Value other = b.get(e.getKey());
            if (other == null) {
                out.put(e.getKey(), e.getValue());
            } else if (e.getValue() instanceof ObjectValue x && other instanceof ObjectValue y) {
                out.put(e.getKey(), union(x, y, c));
            } else {
                out.put(e.getKey(), other);
            }
        }
        for (Map.Entry<Value, Value> e : b.entrySet()) {
            if (!a.containsKey(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out.build();
    }

    private static boolean subset(Value sup, Value sub) {
        if (sup instanceof ObjectValue so && sub instanceof ObjectValue bo) {
            for (Map.Entry<Value, Value> e : bo.entrySet()) {
                Value v = so.get(e.getKey());
                if (v == null) {
                    return false;
                }
                if (v instanceof ObjectValue && e.getValue() instanceof ObjectValue
                        || v instanceof SetValue && e.getValue() instanceof SetValue
                        || v instanceof ArrayValue && e.getValue() instanceof ArrayValue) {
                    if (!subset(v, e.getValue())) {
                        return false;
                    }
                } else if (!v.equals(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (sup instanceof SetValue ss && sub instanceof SetValue bs) {
            return ss.elements().containsAll(bs.elements());
        }
        if (sup instanceof ArrayValue sa && sub instanceof SetValue bs) {
            return new java.util.HashSet<>(sa.elements()).containsAll(bs.elements());
        }
        if (sup instanceof ArrayValue sa && sub instanceof ArrayValue ba) {
            return java.util.Collections.indexOfSubList(sa.elements(), ba.elements()) >= 0 || ba.size() == 0;
        }
        return sup.equals(sub);
    }
}
