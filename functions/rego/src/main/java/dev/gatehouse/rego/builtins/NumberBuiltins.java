package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Numbers: abs, ceil, floor, round, numbers.range, numbers.range_step, rand.intn, to_number. */
final class NumberBuiltins {

    /** Longest range numbers.range may build. */
    private static final long MAX_RANGE = 10_000_000;
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final SecureRandom RANDOM = new SecureRandom();

    private NumberBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("abs", 1, (a, c) -> NumberValue.of(Operands.number(a, 0).decimal().abs()));
        r.register("ceil", 1, (a, c) -> NumberValue.of(Operands.number(a, 0).decimal().setScale(0, RoundingMode.CEILING)));
        r.register("floor", 1, (a, c) -> NumberValue.of(Operands.number(a, 0).decimal().setScale(0, RoundingMode.FLOOR)));
        r.register("round", 1, (a, c) -> NumberValue.of(Operands.number(a, 0).decimal().setScale(0, RoundingMode.HALF_UP)));
        r.register("numbers.range", 2, (a, c) -> range(bigInteger(a, 0), bigInteger(a, 1), BigInteger.ONE, c));
        r.register("numbers.range_step", 3, (a, c) -> {
            BigInteger step = bigInteger(a, 2);
            if (step.signum() <= 0) {
                throw BuiltinException.error("step must be a positive number above zero");
            }
            return range(bigInteger(a, 0), bigInteger(a, 1), step, c);
        });
        r.registerNondeterministic("rand.intn", 2, (a, c) -> {
            Operands.string(a, 0);
            int n = Operands.integer(a, 1);
            if (n == 0) {
                return NumberValue.of(0);
            }
            return NumberValue.of(RANDOM.nextInt(Math.abs(n)));
        });
        r.register("to_number", 1, (a, c) -> {
            Value v = a[0];
            if (v instanceof NullValue) {
                return NumberValue.of(0);
            }
            if (v instanceof BooleanValue b) {
                return NumberValue.of(b.value() ? 1 : 0);
            }
            if (v instanceof NumberValue) {
                return v;
            }
            if (v instanceof StringValue s) {
                String text = s.value();
                String lower = text.toLowerCase(Locale.ROOT);
                // OPA refuses the float specials as a type error, not as a parse failure
                if (lower.matches("[+-]?(inf|infinity|nan)")) {
                    throw BuiltinException.operandType(1, v, "valid number string");
                }
                if (text.length() > 1000 || !DECIMAL.matcher(text).matches()) {
                    throw BuiltinException.error("invalid syntax");
                }
                BigDecimal d = new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
                if (Math.abs((long) d.precision() - d.scale()) > 400) {
                    throw BuiltinException.error("value out of range");
                }
                return NumberValue.of(d);
            }
            throw BuiltinException.operandType(1, v, "null", "boolean", "number", "string");
        });
    }

    static BigInteger bigInteger(Value[] a, int i) throws BuiltinException {
        NumberValue n = Operands.number(a, i);
        if (!n.isInteger()) {
            throw BuiltinException.typeError("operand " + (i + 1) + " must be integer number but got floating-point number");
        }
        return n.decimal().toBigIntegerExact();
    }

    private static Value range(BigInteger from, BigInteger to, BigInteger step, BuiltinContext c) throws BuiltinException {
        BigInteger span = to.subtract(from).abs().divide(step);
        if (span.compareTo(BigInteger.valueOf(MAX_RANGE)) > 0) {
            throw BuiltinException.error("range too large");
        }
        int n = span.intValueExact() + 1;
        c.charge(n);
        List<Value> out = new ArrayList<>(n);
        BigInteger delta = from.compareTo(to) <= 0 ? step : step.negate();
        BigInteger v = from;
        for (int i = 0; i < n; i++) {
            out.add(NumberValue.of(v));
            v = v.add(delta);
        }
        return ArrayValue.of(out);
    }
}
