package dev.gatehouse.rego.value;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A Rego number: an exact decimal, like OPA's json.Number/big arithmetic. Stored without trailing
 * zeros so that {@code 1}, {@code 1.0} and {@code 1e0} are equal and hash alike.
 */
public final class NumberValue implements Value {

    static final int RANK = 2;
    private static final NumberValue[] SMALL = new NumberValue[1152];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = new NumberValue(BigDecimal.valueOf(i - 128).stripTrailingZeros());
        }
    }

    private final BigDecimal decimal;

    private NumberValue(BigDecimal normalized) {
        this.decimal = normalized;
    }

    public static NumberValue of(long n) {
        if (n >= -128 && n < SMALL.length - 128) {
            return SMALL[(int) n + 128];
        }
        return new NumberValue(BigDecimal.valueOf(n).stripTrailingZeros());
    }

    public static NumberValue of(BigInteger n) {
        return of(new BigDecimal(n));
    }

    public static NumberValue of(BigDecimal n) {
        if (n.signum() == 0) {
            return SMALL[128];
        }
        return new NumberValue(n.stripTrailingZeros());
    }

    /** A float64 result (from math on doubles); NaN and infinities are not Rego numbers. */
    public static NumberValue ofDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new ArithmeticException("number is not finite: " + d);
        }
        return of(new BigDecimal(Double.toString(d)));
    }

    /** Parses a JSON/Rego number literal; throws NumberFormatException when it is not one. */
    public static NumberValue parse(String literal) {
        return of(new BigDecimal(literal));
    }

    public BigDecimal decimal() {
        return decimal;
    }

    /** True when this number has no fractional part. */
    public boolean isInteger() {
        return decimal.scale() <= 0;
    }

    /** The value as an int when it is an integer that fits, otherwise null. */
    public Integer intValueExact() {
        if (!isInteger()) {
            return null;
        }
        try {
            return decimal.intValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    public double doubleValue() {
        return decimal.doubleValue();
    }

    @Override
    public int typeRank() {
        return RANK;
    }

    @Override
    public String typeName() {
        return "number";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumberValue n && n.decimal.equals(decimal);
    }

    @Override
    public int hashCode() {
        return decimal.hashCode();
    }

    /** Plain notation for ordinary magnitudes, scientific for extreme exponents (bounded output). */
    @Override
    public String toString() {
        int scale = decimal.scale();
        if (scale > -64 && scale < 64) {
            return decimal.toPlainString();
        }
        return decimal.toString().replace("E+", "e+").replace("E-", "e-");
    }
}
