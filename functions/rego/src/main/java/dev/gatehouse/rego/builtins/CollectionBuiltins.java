package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.List;

/** Arrays and sets: array.concat, array.slice, array.reverse, array.flatten, intersection, union. */
final class CollectionBuiltins {

    private CollectionBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("array.concat", 2, (a, c) -> {
            ArrayValue x = Operands.array(a, 0);
            ArrayValue y = Operands.array(a, 1);
            c.charge(x.size() + y.size());
            List<Value> out = new ArrayList<>(x.size() + y.size());
            out.addAll(x.elements());
            out.addAll(y.elements());
            return ArrayValue.of(out);
        });
        r.register("array.slice", 3, (a, c) -> {
            ArrayValue x = Operands.array(a, 0);
            long start = NumberBuiltins.bigInteger(a, 1).max(java.math.BigInteger.ZERO)
                    .min(java.math.BigInteger.valueOf(x.size())).longValue();
            long stop = NumberBuiltins.bigInteger(a, 2).max(java.math.BigInteger.ZERO)
                    .min(java.math.BigInteger.valueOf(x.size())).longValue();
            if (stop < start) {
                stop = start;
            }
            return ArrayValue.of(x.elements().subList((int) start, (int) stop));
        });
        r.register("array.reverse", 1, (a, c) -> {
            List<Value> out = new ArrayList<>(Operands.array(a, 0).elements());
            java.util.Collections.reverse(out);
            return ArrayValue.of(out);
        });
        // One level deep, as OPA's: nested arrays inside the elements stay arrays.
        r.register("array.flatten", 1, (a, c) -> {
            List<Value> out = new ArrayList<>();
            for (Value v : Operands.array(a, 0).elements()) {
                if (v instanceof ArrayValue inner) {
                    c.charge(inner.size());
                    out.addAll(inner.elements());
                } else {
                    out.add(v);
                }
            }
            return ArrayValue.of(out);
        });
        r.register("intersection", 1, (a, c) -> {
            SetValue sets = Operands.set(a, 0);
            SetValue result = null;
            for (Value v : sets.elements()) {
                SetValue s = element(sets, v);
                c.charge(s.size());
                if (result == null) {
                    result = s;
                } else {
                    SetValue.Builder b = SetValue.builder();
                    for (Value e : result.elements()) {
                        if (s.contains(e)) {
                            b.add(e);
                        }
                    }
                    result = b.build();
                }
            }
            return result == null ? SetValue.EMPTY : result;
        });
        r.register("union", 1, (a, c) -> {
            SetValue sets = Operands.set(a, 0);
            SetValue.Builder b = SetValue.builder();
            for (Value v : sets.elements()) {
                SetValue s = element(sets, v);
                c.charge(s.size());
                s.elements().forEach(b::add);
            }
            return b.build();
        });
    }

    private static SetValue element(SetValue sets, Value v) throws BuiltinException {
        if (v instanceof SetValue s) {
            return s;
        }
        throw BuiltinException.typeError("operand 1 must be set of sets but got set containing " + v.typeName());
    }
}
