package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.NumberValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** {@code units.parse} (SI and binary SI quantities) and {@code units.parse_bytes}. */
final class UnitsBuiltins {

    /** Longest exponent accepted in scientific notation, so "1e999999999" cannot blow up. */
    private static final int MAX_EXPONENT_DIGITS = 6;

    private static final BigDecimal KI = BigDecimal.valueOf(1024);
    private static final Map<String, BigDecimal> SI = Map.ofEntries(
            Map.entry("m", new BigDecimal("0.001")), Map.entry("", BigDecimal.ONE),
            Map.entry("k", pow(1000, 1)), Map.entry("K", pow(1000, 1)), Map.entry("ki", bin(1)), Map.entry("Ki", bin(1)),
            Map.entry("M", pow(1000, 2)), Map.entry("mi", bin(2)), Map.entry("Mi", bin(2)),
            Map.entry("g", pow(1000, 3)), Map.entry("G", pow(1000, 3)), Map.entry("gi", bin(3)), Map.entry("Gi", bin(3)),
            Map.entry("t", pow(1000, 4)), Map.entry("T", pow(1000, 4)), Map.entry("ti", bin(4)), Map.entry("Ti", bin(4)),
            Map.entry("p", pow(1000, 5)), Map.entry("P", pow(1000, 5)), Map.entry("pi", bin(5)), Map.entry("Pi", bin(5)),
            Map.entry("e", pow(1000, 6)), Map.entry("E", pow(1000, 6)), Map.entry("ei", bin(6)), Map.entry("Ei", bin(6)));
    private static final Map<String, BigDecimal> BYTES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("kb", pow(1000, 1)), Map.entry("k", pow(1000, 1)), Map.entry("kib", bin(1)), Map.entry("ki", bin(1)),
            Map.entry("mb", pow(1000, 2)), Map.entry("m", pow(1000, 2)), Map.entry("mib", bin(2)), Map.entry("mi", bin(2)),
            Map.entry("gb", pow(1000, 3)), Map.entry("g", pow(1000, 3)), Map.entry("gib", bin(3)), Map.entry("gi", bin(3)),
            Map.entry("tb", pow(1000, 4)), Map.entry("t", pow(1000, 4)), Map.entry("tib", bin(4)), Map.entry("ti", bin(4)),
            Map.entry("pb", pow(1000, 5)), Map.entry("p", pow(1000, 5)), Map.entry("pib", bin(5)), Map.entry("pi", bin(5)),
            Map.entry("eb", pow(1000, 6)), Map.entry("e", pow(1000, 6)), Map.entry("eib", bin(6)), Map.entry("ei", bin(6)));

    private UnitsBuiltins() {
    }

    private static BigDecimal pow(int base, int n) {
        return BigDecimal.valueOf(base).pow(n);
    }

    private static BigDecimal bin(int n) {
        return KI.pow(n);
    }

    static void register(BuiltinRegistry r) {
        r.register("units.parse", 1, (args, ctx) -> {
            String s = Operands.string(args, 0).replace("\"", "");
            String[] parts = split(s, "");
            String unit = parts[1];
            if (unit.length() > 1) {
                unit = unit.charAt(0) + unit.substring(1).toLowerCase(java.util.Locale.ROOT);
            }
            BigDecimal factor = SI.get(unit);
            if (factor == null) {
                throw BuiltinException.error("unit " + unit + " not recognized");
            }
            BigDecimal n = number(parts[0], "could not parse amount to a number").multiply(factor);
            BigDecimal stripped = n.stripTrailingZeros();
            if (stripped.scale() <= 0) {
                return NumberValue.of(stripped);
            }
            return NumberValue.of(n.setScale(10, RoundingMode.HALF_UP));
        });
        r.register("units.parse_bytes", 1, (args, ctx) -> {
            String s = Operands.string(args, 0).toLowerCase(java.util.Locale.ROOT).replace("\"", "");
            String[] parts = split(s, "byte ");
            BigDecimal factor = BYTES.get(parts[1]);
            if (factor == null) {
                throw BuiltinException.error("byte unit " + parts[1] + " not recognized");
            }
            BigDecimal n = number(parts[0], "could not parse byte amount to a number").multiply(factor);
            return NumberValue.of(n.toBigInteger());
        });
    }

    /** Splits "1.5e3Ki" into amount and unit; {@code kind} is "" or "byte " for the messages. */
    private static String[] split(String s, String kind) throws BuiltinException {
        if (s.contains(" ")) {
            throw BuiltinException.error("spaces not allowed in resource strings");
        }
        int cut = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean numeric = Character.isDigit(c) || c == '.' || c == '+' || c == '-';
            if (!numeric && c != 'e' && c != 'E') {
                cut = i;
                break;
            }
            if (c == 'e' || c == 'E') {
                boolean expFollows = i + 1 < s.length()
                        && (Character.isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-');
                if (!expFollows) {
                    cut = i;
                    break;
                }
                if (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-') {
                    i++;
                }
                int end = i + 1;
                while (end < s.length() && Character.isDigit(s.charAt(end))) {
                    end++;
                }
                if (end - (i + 1) > MAX_EXPONENT_DIGITS) {
                    throw BuiltinException.error("exponent too large");
                }
            }
        }
        String num = cut < 0 ? s : s.substring(0, cut);
        String unit = cut < 0 ? "" : s.substring(cut);
        if (num.isEmpty()) {
            throw BuiltinException.error("no " + kind + "amount provided");
        }
        return new String[] {num, unit};
    }

    private static BigDecimal number(String s, String error) throws BuiltinException {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw BuiltinException.error(error);
        }
    }
}
