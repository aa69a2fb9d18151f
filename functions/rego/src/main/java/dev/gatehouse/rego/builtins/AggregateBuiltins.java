package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Aggregates: count, sum, product, max, min, sort. */
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
        r.register("sum", 1, (a, c) -> {
            BigDecimal total = BigDecimal.ZERO;
            for (Value v : numbers(a, c)) {
                total = total.add(((NumberValue) v).decimal());
            }
            return NumberValue.of(total);
        });
        r.register("product", 1, (a, c) -> {
            BigDecimal total = BigDecimal.ONE;
            for (Value v : numbers(a, c)) {
                total = total.multiply(((NumberValue) v).decimal());
                if (total.precision() > 10_000) {
                    throw BuiltinException.error("result too large");
                }
            }
            return NumberValue.of(total);
        });
        r.register("max", 1, (a, c) -> {
            List<Value> elems = collection(a);
            return elems.isEmpty() ? null : Collections.max(elems);
        });
        r.register("min", 1, (a, c) -> {
            List<Value> elems = collection(a);
            return elems.isEmpty() ? null : Collections.min(elems);
        });
        r.register("sort", 1, (a, c) -> {
            if (a[0] instanceof SetValue s) {
                return ArrayValue.of(s.sorted());
            }
            List<Value> elems = new ArrayList<>(Operands.array(a, 0).elements());
            c.charge(elems.size());
            Collections.sort(elems);
            return ArrayValue.of(elems);
        });
    }

    private static List<Value> collection(Value[] a) throws BuiltinException {
        if (a[0] instanceof ArrayValue || a[0] instanceof SetValue) {
            return Operands.arrayOrSet(a, 0);
        }
        throw BuiltinException.operandType(1, a[0], "set", "array");
    }

    private static List<Value> numbers(Value[] a, BuiltinContext c) throws BuiltinException {
        List<Value> elems = collection(a);
        c.charge(elems.size());
        for (Value v : elems) {
            if (!(v instanceof NumberValue)) {
                throw BuiltinException.typeError("operand 1 must be " + a[0].typeName() + " of numbers but got "
                        + a[0].typeName() + " containing " + v.typeName());
            }
        }
        return elems;
    }
}
