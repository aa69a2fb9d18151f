package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.Value;
import java.math.BigDecimal;
import java.math.MathContext;

/** The builtins behind Rego's operators: comparison, arithmetic, set union/intersection, {@code in}. */
final class OperatorBuiltins {

    /** Precision of inexact quotients (OPA divides with big.Float). */
    private static final MathContext DIVISION = MathContext.DECIMAL128;

    private OperatorBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("equal", 2, (a, c) -> BooleanValue.of(a[0].equals(a[1])));
        r.register("neq", 2, (a, c) -> BooleanValue.of(!a[0].equals(a[1])));
        r.register("lt", 2, (a, c) -> BooleanValue.of(a[0].compareTo(a[1]) < 0));
        r.register("lte", 2, (a, c) -> BooleanValue.of(a[0].compareTo(a[1]) <= 0));
        r.register("gt", 2, (a, c) -> BooleanValue.of(a[0].compareTo(a[1]) > 0));
        r.register("gte", 2, (a, c) -> BooleanValue.of(a[0].compareTo(a[1]) >= 0));

        r.register("plus", 2, (a, c) -> NumberValue.of(Operands.number(a, 0).decimal().add(Operands.number(a, 1).decimal())));
        r.register("mul", 2, (a, c) -> NumberValue.of(Operands.number(a, 0).decimal().multiply(Operands.number(a, 1).decimal())));
        r.register("minus", 2, OperatorBuiltins::minus);
        r.register("div", 2, OperatorBuiltins::divide);
        r.register("rem", 2, OperatorBuiltins::remainder);
        r.register("and", 2, (a, c) -> {
            SetValue x = Operands.set(a, 0);
            SetValue y = Operands.set(a, 1);
            SetValue.Builder b = SetValue.builder();
            for (Value v : x.elements()) {
                if (y.contains(v)) {
                    b.add(v);
                }
            }
            return b.build();
        });
        r.register("or", 2, (a, c) -> {
            SetValue x = Operands.set(a, 0);
            SetValue y = Operands.set(a, 1);
            SetValue.Builder b = SetValue.builder();
            x.elements().forEach(b::add);
            y.elements().forEach(b::add);
            return b.build();
        });
        r.register("internal.member_2", 2, (a, c) -> BooleanValue.of(member(a[0], a[1])));
        r.register("internal.member_3", 3, (a, c) -> BooleanValue.of(member(a[0], a[1], a[2])));
        r.register("print", Builtin.VARIADIC, (a, c) -> {
            StringBuilder sb = new StringBuilder();
            for (Value v : a) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(v instanceof dev.gatehouse.rego.value.StringValue s ? s.value() : v.toString());
            }
            c.print(sb.toString());
            return BooleanValue.TRUE;
        });
    }

    private static Value minus(Value[] a, BuiltinContext c) throws BuiltinException {
        if (a[0] instanceof NumberValue x) {
            return NumberValue.of(x.decimal().subtract(Operands.number(a, 1).decimal()));
        }
        if (a[0] instanceof SetValue x) {
            SetValue y = Operands.set(a, 1);
            SetValue.Builder b = SetValue.builder();
            for (Value v : x.elements()) {
                if (!y.contains(v)) {
                    b.add(v);
                }
            }
            return b.build();
        }
        throw BuiltinException.operandType(1, a[0], "number", "set");
    }

    private static Value divide(Value[] a, BuiltinContext c) throws BuiltinException {
        BigDecimal x = Operands.number(a, 0).decimal();
        BigDecimal y = Operands.number(a, 1).decimal();
        if (y.signum() == 0) {
            throw BuiltinException.error("divide by zero");
        }
        try {
            return NumberValue.of(x.divide(y));
        } catch (ArithmeticException nonTerminating) {
            return NumberValue.of(x.divide(y, DIVISION));
        }
    }

    private static Value remainder(Value[] a, BuiltinContext c) throws BuiltinException {
        NumberValue x = Operands.number(a, 0);
        NumberValue y = Operands.number(a, 1);
        if (!x.isInteger() || !y.isInteger()) {
            throw BuiltinException.error("modulo on floating-point number");
        }
        if (y.decimal().signum() == 0) {
            throw BuiltinException.error("modulo by zero");
        }
        return NumberValue.of(x.decimal().toBigIntegerExact().remainder(y.decimal().toBigIntegerExact()));
    }

    /** {@code x in coll}: an element of an array or set, or a value of an object. */
    static boolean member(Value x, Value coll) {
        if (coll instanceof SetValue s) {
            return s.contains(x);
        }
        if (coll instanceof ArrayValue arr) {
            for (Value v : arr.elements()) {
                if (v.equals(x)) {
                    return true;
                }
            }
            return false;
        }
        if (coll instanceof ObjectValue o) {
            for (Value v : o.asMap().values()) {
                if (v.equals(x)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code k, v in coll}: index/key {@code k} holds {@code v}. */
    static boolean member(Value k, Value v, Value coll) {
        if (coll instanceof ArrayValue arr) {
            if (k instanceof NumberValue n) {
                Integer i = n.intValueExact();
                return i != null && i >= 0 && i < arr.size() && arr.get(i).equals(v);
            }
            return false;
        }
        if (coll instanceof ObjectValue o) {
            Value got = o.get(k);
            return got != null && got.equals(v);
        }
        if (coll instanceof SetValue s) {
            return k.equals(v) && s.contains(v);
        }
        return false;
    }
}
