package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Go's fmt.Sprintf over the arguments OPA's sprintf passes: integers as int (or *big.Int), other
 * numbers as float64, strings as string, and every other value as its Rego text (a string).
 * Public only for {@link #quote}, which the graphql builtins use for gqlparser's messages.
 */
public final class GoFormat {

    private GoFormat() {
    }

    /** One argument converted the way OPA converts it before calling fmt.Sprintf. */
    private record Arg(Object value, String goType) {
        static Arg of(Value v) {
            if (v instanceof NumberValue n) {
                if (n.isInteger()) {
                    BigInteger i = n.decimal().toBigIntegerExact();
                    return i.bitLength() < 64 ? new Arg(i, "int") : new Arg(i, "*big.Int");
                }
                return new Arg(n.doubleValue(), "float64");
            }
            if (v instanceof StringValue s) {
                return new Arg(s.value(), "string");
            }
            return new Arg(v.toString(), "string");
        }
    }

    private static final class Spec {
        boolean minus;
        boolean plus;
        boolean sharp;
        boolean space;
        boolean zero;
        int width = -1;
        int precision = -1;
    }

    static String sprintf(String format, List<Value> values) {
        StringBuilder out = new StringBuilder();
        int argIndex = 0;
        int i = 0;
        int n = format.length();
        while (i < n) {
            char ch = format.charAt(i);
            if (ch != '%') {
                out.append(ch);
                i++;
                continue;
            }
            i++;
            Spec spec = new Spec();
            while (i < n) {
                char f = format.charAt(i);
                if (f == '-') {
                    spec.minus = true;
                    spec.zero = false;
                } else if (f == '+') {
                    spec.plus = true;
                } else if (f == '#') {
                    spec.sharp = true;
                } else if (f == ' ') {
                    spec.space = true;
                } else if (f == '0') {
                    spec.zero = !spec.minus;
                } else {
                    break;
                }
                i++;
            }
            int start = i;
            while (i < n && Character.isDigit(format.charAt(i))) {
                i++;
            }
            if (i > start) {
                spec.width = Integer.parseInt(format.substring(start, Math.min(i, start + 6)));
            }
            if (i < n && format.charAt(i) == '.') {
                i++;
                start = i;
                while (i < n && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                spec.precision = i > start ? Integer.parseInt(format.substring(start, Math.min(i, start + 6))) : 0;
            }
            if (i >= n) {
                out.append("%!(NOVERB)");
                break;
            }
            int verb = format.codePointAt(i);
            i += Character.charCount(verb);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argIndex >= values.size()) {
                out.append("%!").appendCodePoint(verb).append("(MISSING)");
                continue;
            }
            Arg arg = Arg.of(values.get(argIndex++));
            out.append(pad(spec, formatOne(spec, verb, arg), arg));
        }
        if (argIndex < values.size()) {
            out.append("%!(EXTRA ");
            for (int k = argIndex; k < values.size(); k++) {
                Arg arg = Arg.of(values.get(k));
                if (k > argIndex) {
                    out.append(", ");
                }
                out.append(arg.goType()).append('=').append(plain(arg));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static String plain(Arg arg) {
        if (arg.value() instanceof Double d) {
            return shortestG(d, false);
        }
        return arg.value().toString();
    }

    private static String bad(int verb, Arg arg) {
        return "%!" + new String(Character.toChars(verb)) + "(" + arg.goType() + "=" + plain(arg) + ")";
    }

    /** Formats without width padding; returns null-free text. */
    private static String formatOne(Spec spec, int verb, Arg arg) {
        Object v = arg.value();
        if (verb == 'T') {
            return arg.goType();
        }
        if (v instanceof String s) {
            return switch (verb) {
                case 'v', 's' -> precisionCut(spec, s);
                case 'q' -> spec.sharp && s.indexOf('`') < 0 ? "`" + s + "`" : quote(s, spec.plus);
                case 'x', 'X' -> hexBytes(precisionCut(spec, s), verb == 'X', spec);
                default -> bad(verb, arg);
            };
        }
        if (v instanceof BigInteger i) {
            boolean big = arg.goType().startsWith("*");
            return switch (verb) {
                case 'd', 'v' -> sign(spec, i, i.abs().toString());
                case 's' -> big ? sign(spec, i, i.abs().toString()) : bad(verb, arg);
                case 'b' -> sign(spec, i, (spec.sharp ? "0b" : "") + i.abs().toString(2));
                case 'o' -> sign(spec, i, (spec.sharp ? "0" : "") + i.abs().toString(8));
                case 'O' -> sign(spec, i, "0o" + i.abs().toString(8));
                case 'x' -> sign(spec, i, (spec.sharp ? "0x" : "") + i.abs().toString(16));
                case 'X' -> sign(spec, i, (spec.sharp ? "0X" : "") + i.abs().toString(16).toUpperCase());
                case 'c' -> big ? bad(verb, arg) : new String(Character.toChars(validRune(i)));
                case 'q' -> big ? bad(verb, arg) : quoteRune(validRune(i));
                case 'U' -> big ? bad(verb, arg) : String.format("U+%04X", i.longValue());
                case 'e', 'E', 'f', 'F', 'g', 'G' -> big ? formatFloat(spec, verb, i.doubleValue()) : bad(verb, arg);
                default -> bad(verb, arg);
            };
        }
        double d = (Double) v;
        return switch (verb) {
            case 'v', 'g', 'G', 'e', 'E', 'f', 'F' -> formatFloat(spec, verb, d);
            default -> bad(verb, arg);
        };
    }

    private static int validRune(BigInteger i) {
        long l = i.longValue();
        if (l < 0 || l > Character.MAX_CODE_POINT || (l >= 0xD800 && l <= 0xDFFF)) {
            return 0xFFFD;
        }
        return (int) l;
    }

    private static String sign(Spec spec, BigInteger i, String digits) {
        String prefix = i.signum() < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
        if (spec.precision >= 0) {
            int bare = digits.length();
            StringBuilder sb = new StringBuilder();
            while (bare++ < spec.precision) {
                sb.append('0');
            }
            digits = sb + digits;
        } else if (spec.zero && spec.width > 0) {
            StringBuilder sb = new StringBuilder(digits);
            while (sb.length() + prefix.length() < spec.width) {
                sb.insert(0, '0');
            }
            digits = sb.toString();
        }
        return prefix + digits;
    }

    private static String precisionCut(Spec spec, String s) {
        if (spec.precision >= 0 && s.codePointCount(0, s.length()) > spec.precision) {
            return s.substring(0, s.offsetByCodePoints(0, spec.precision));
        }
        return s;
    }

    private static String hexBytes(String s, boolean upper, Spec spec) {
        StringBuilder sb = new StringBuilder();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k < bytes.length; k++) {
            if (k > 0 && spec.space) {
                sb.append(' ');
            }
            if (spec.sharp && (k == 0 || spec.space)) {
                sb.append(upper ? "0X" : "0x");
            }
            sb.append(String.format(upper ? "%02X" : "%02x", bytes[k] & 0xff));
        }
        return sb.toString();
    }

    private static String pad(Spec spec, String s, Arg arg) {
        int len = s.codePointCount(0, s.length());
        if (spec.width <= len) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        boolean zeros = spec.zero && !spec.minus && arg.value() instanceof String;
        for (int k = len; k < spec.width; k++) {
            sb.append(zeros ? '0' : ' ');
        }
        return spec.minus ? s + sb : sb + s;
    }

    private static String formatFloat(Spec spec, int verb, double d) {
        String body;
        double abs = Math.abs(d);
        switch (verb) {
            case 'f', 'F' -> body = new BigDecimal(abs).setScale(spec.precision < 0 ? 6 : spec.precision, RoundingMode.HALF_EVEN).toPlainString();
            case 'e', 'E' -> body = exponent(abs, spec.precision < 0 ? 6 : spec.precision, verb == 'E');
            default -> {
                if (spec.precision < 0) {
                    body = shortestG(abs, verb == 'G');
                } else {
                    body = precisionG(abs, spec.precision == 0 ? 1 : spec.precision, verb == 'G');
                }
            }
        }
        boolean negative = d < 0 || (d == 0 && 1 / d < 0);
        String prefix = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
        if (spec.zero && spec.width > 0 && !spec.minus) {
            StringBuilder sb = new StringBuilder(body);
            while (sb.length() + prefix.length() < spec.width) {
                sb.insert(0, '0');
            }
            body = sb.toString();
        }
        return prefix + body;
    }

    /** %e with the given number of fraction digits and Go's two-digit minimum exponent. */
    private static String exponent(double abs, int precision, boolean upper) {
        if (abs == 0) {
            return "0" + (precision > 0 ? "." + "0".repeat(precision) : "") + (upper ? "E+00" : "e+00");
        }
        BigDecimal rounded = new BigDecimal(abs).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        int exp = rounded.precision() - rounded.scale() - 1;
        String digits = rounded.unscaledValue().toString();
        while (digits.length() < precision + 1) {
            digits = digits + "0";
        }
        String mantissa = digits.substring(0, 1) + (precision > 0 ? "." + digits.substring(1, precision + 1) : "");
        return mantissa + expSuffix(exp, upper);
    }

    private static String expSuffix(int exp, boolean upper) {
        String e = String.valueOf(Math.abs(exp));
        if (e.length() < 2) {
            e = "0" + e;
        }
        return (upper ? "E" : "e") + (exp < 0 ? "-" : "+") + e;
    }

    /** Go's %v / %g with the shortest representation that round-trips. */
    static String shortestG(double abs, boolean upper) {
        if (abs == 0) {
            return "0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(abs))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int exp = shortest.precision() - shortest.scale() - 1;
        String sign = abs < 0 ? "-" : "";
        if (exp < -4 || exp >= 6) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + expSuffix(exp, upper);
        }
        return sign + shortest.toPlainString();
    }

    private static String precisionG(double abs, int precision, boolean upper) {
        if (abs == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(abs).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exp = rounded.precision() - rounded.scale() - 1;
        BigDecimal stripped = rounded.stripTrailingZeros();
        if (exp < -4 || exp >= precision) {
            String digits = stripped.unscaledValue().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return mantissa + expSuffix(exp, upper);
        }
        return stripped.toPlainString();
    }

    /** Go's strconv.Quote (or QuoteToASCII with the + flag). */
    public static String quote(String s, boolean ascii) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> appendQuoted(sb, cp, '"', ascii));
        return sb.append('"').toString();
    }

    private static String quoteRune(int cp) {
        StringBuilder sb = new StringBuilder("'");
        appendQuoted(sb, cp, '\'', false);
        return sb.append('\'').toString();
    }

    private static void appendQuoted(StringBuilder sb, int cp, char quote, boolean ascii) {
        if (cp == quote || cp == '\\') {
            sb.append('\\').appendCodePoint(cp);
            return;
        }
        if (ascii ? (cp >= 0x20 && cp < 0x7f) : isGoPrintable(cp)) {
            sb.appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case 7 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x0B -> sb.append("\\v");
            default -> {
                if (cp < ' ' || cp == 0x7f) {
                    sb.append(String.format("\\x%02x", cp));
                } else if (Character.isSurrogate((char) cp) && cp < 0x10000) {
                    sb.append("\\ufffd");
                } else if (cp < 0x10000) {
                    sb.append(String.format("\\u%04x", cp));
                } else {
                    sb.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    private static boolean isGoPrintable(int cp) {
        if (cp < 0x20 || cp == 0x7f) {
            return false;
        }
        if (cp < 0x7f) {
            return true;
        }
        int type = Character.getType(cp);
        return switch (type) {
            case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            case Character.SPACE_SEPARATOR -> cp == ' ';
            default -> true;
        };
    }
}
