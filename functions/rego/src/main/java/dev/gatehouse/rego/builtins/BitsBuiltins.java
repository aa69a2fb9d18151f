package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.NumberValue;
import java.math.BigInteger;

/** Bitwise operations on integers (arbitrary precision, like Go's big.Int). */
final class BitsBuiltins {

    private static final int MAX_SHIFT = 1 << 16;

    private BitsBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("bits.and", 2, (a, c) -> NumberValue.of(NumberBuiltins.bigInteger(a, 0).and(NumberBuiltins.bigInteger(a, 1))));
        r.register("bits.or", 2, (a, c) -> NumberValue.of(NumberBuiltins.bigInteger(a, 0).or(NumberBuiltins.bigInteger(a, 1))));
        r.register("bits.xor", 2, (a, c) -> NumberValue.of(NumberBuiltins.bigInteger(a, 0).xor(NumberBuiltins.bigInteger(a, 1))));
        r.register("bits.negate", 1, (a, c) -> NumberValue.of(NumberBuiltins.bigInteger(a, 0).not()));
        r.register("bits.lsh", 2, (a, c) -> {
            BigInteger x = NumberBuiltins.bigInteger(a, 0);
            return NumberValue.of(x.shiftLeft(shift(NumberBuiltins.bigInteger(a, 1))));
        });
        r.register("bits.rsh", 2, (a, c) -> {
            BigInteger x = NumberBuiltins.bigInteger(a, 0);
            return NumberValue.of(x.shiftRight(shift(NumberBuiltins.bigInteger(a, 1))));
        });
    }

    private static int shift(BigInteger s) throws BuiltinException {
        if (s.signum() < 0) {
            throw BuiltinException.error("operand 2 must be an unsigned integer number but got a negative integer");
        }
        if (s.compareTo(BigInteger.valueOf(MAX_SHIFT)) > 0) {
            throw BuiltinException.error("shift too large");
        }
        return s.intValueExact();
    }
}
