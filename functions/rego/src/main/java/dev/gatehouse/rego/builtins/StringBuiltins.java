package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** String builtins, with Go's strings package semantics (code points, Go's notion of white space). */
final class StringBuiltins {

    private StringBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("concat", 2, (args, ctx) -> {
            List<String> parts = Operands.strings(args, 1);
            ctx.charge(parts.size());
            return StringValue.of(String.join(Operands.string(args, 0), parts));
        });
        r.register("contains", 2, (a, c) -> BooleanValue.of(Operands.string(a, 0).contains(Operands.string(a, 1))));
        r.register("startswith", 2, (a, c) -> BooleanValue.of(Operands.string(a, 0).startsWith(Operands.string(a, 1))));
        r.register("endswith", 2, (a, c) -> BooleanValue.of(Operands.string(a, 0).endsWith(Operands.string(a, 1))));
        r.register("lower", 1, (a, c) -> StringValue.of(mapCodePoints(Operands.string(a, 0), false)));
        r.register("upper", 1, (a, c) -> StringValue.of(mapCodePoints(Operands.string(a, 0), true)));
        r.register("format_int", 2, StringBuiltins::formatInt);
        r.register("indexof", 2, (a, c) -> {
            List<Integer> found = indexes(Operands.string(a, 0), Operands.string(a, 1), true);
            return NumberValue.of(found.isEmpty() ? -1 : found.get(0));
        });
        r.register("indexof_n", 2, (a, c) -> {
            List<Value> out = new ArrayList<>();
            for (int i : indexes(Operands.string(a, 0), Operands.string(a, 1), false)) {
                out.add(NumberValue.of(i));
            }
            return ArrayValue.of(out);
        });
        r.register("substring", 3, StringBuiltins::substring);
        r.register("split", 2, (a, c) -> strings(split(Operands.string(a, 0), Operands.string(a, 1))));
        r.register("strings.split_n", 3, (a, c) -> {
            List<String> parts = split(Operands.string(a, 0), Operands.string(a, 1));
            int n = Operands.integer(a, 2);
            if (n >= 0) {
                return strings(parts.subList(0, Math.min(n, parts.size())));
            }
            return strings(parts.subList(Math.max(0, parts.size() + n), parts.size()));
        });
        r.register("replace", 3, (a, c) -> {
            String s = Operands.string(a, 0);
            String old = Operands.string(a, 1);
            String neu = Operands.string(a, 2);
            return StringValue.of(replace(s, List.of(old), List.of(neu), c));
        });
        r.register("strings.replace_n", 2, StringBuiltins::replaceN);
        r.register("trim", 2, (a, c) -> StringValue.of(trimRight(trimLeft(Operands.string(a, 0), Operands.string(a, 1)), Operands.string(a, 1))));
        r.register("trim_left", 2, (a, c) -> StringValue.of(trimLeft(Operands.string(a, 0), Operands.string(a, 1))));
        r.register("trim_right", 2, (a, c) -> StringValue.of(trimRight(Operands.string(a, 0), Operands.string(a, 1))));
        r.register("trim_prefix", 2, (a, c) -> {
            String s = Operands.string(a, 0);
            String p = Operands.string(a, 1);
            return StringValue.of(s.startsWith(p) ? s.substring(p.length()) : s);
        });
        r.register("trim_suffix", 2, (a, c) -> {
            String s = Operands.string(a, 0);
            String p = Operands.string(a, 1);
            return StringValue.of(s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s);
        });
        r.register("trim_space", 1, (a, c) -> StringValue.of(trimSpace(Operands.string(a, 0))));
        r.register("strings.reverse", 1, (a, c) -> StringValue.of(new StringBuilder(Operands.string(a, 0)).reverse().toString()));
        r.register("strings.count", 2, (a, c) -> {
            String s = Operands.string(a, 0);
            String sub = Operands.string(a, 1);
            if (sub.isEmpty()) {
                return NumberValue.of(s.codePointCount(0, s.length()) + 1);
            }
            int n = 0;
            for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
                n++;
            }
            return NumberValue.of(n);
        });
        r.register("strings.any_prefix_match", 2, (a, c) -> anyMatch(a, true));
        r.register("strings.any_suffix_match", 2, (a, c) -> anyMatch(a, false));
        r.register("sprintf", 2, (a, c) -> {
            String format = Operands.string(a, 0);
            ArrayValue values = Operands.array(a, 1);
            c.charge(values.size() + 1);
            return StringValue.of(GoFormat.sprintf(format, values.elements()));
        });
    }

    private static ArrayValue strings(List<String> parts) {
        List<Value> out = new ArrayList<>(parts.size());
        for (String p : parts) {
            out.add(StringValue.of(p));
        }
        return ArrayValue.of(out);
    }

    /** Go's strings.Split: an empty separator splits after each code point. */
    static List<String> split(String s, String sep) {
        List<String> out = new ArrayList<>();
        if (sep.isEmpty()) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        int from = 0;
        for (int i = s.indexOf(sep); i >= 0; i = s.indexOf(sep, from)) {
            out.add(s.substring(from, i));
            from = i + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static String mapCodePoints(String s, boolean upper) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(upper ? Character.toUpperCase(cp) : Character.toLowerCase(cp)));
        return sb.toString();
    }

    private static Value formatInt(Value[] a, BuiltinContext c) throws BuiltinException {
        NumberValue n = Operands.number(a, 0);
        NumberValue base = Operands.number(a, 1);
        int radix;
        if (base.decimal().compareTo(java.math.BigDecimal.valueOf(2)) == 0) {
            radix = 2;
        } else if (base.decimal().compareTo(java.math.BigDecimal.valueOf(8)) == 0) {
            radix = 8;
        } else if (base.decimal().compareTo(java.math.BigDecimal.TEN) == 0) {
            radix = 10;
        } else if (base.decimal().compareTo(java.math.BigDecimal.valueOf(16)) == 0) {
            radix = 16;
        } else {
            throw BuiltinException.typeError("operand 2 must be one of {2, 8, 10, 16}");
        }
        BigInteger i = n.decimal().setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        return StringValue.of(i.toString(radix));
    }

    /** Code point positions of {@code search} in {@code s}. */
    private static List<Integer> indexes(String s, String search, boolean firstOnly) throws BuiltinException {
        if (search.isEmpty()) {
            throw BuiltinException.error("empty search character");
        }
        List<Integer> out = new ArrayList<>();
        int cpIndex = 0;
        for (int i = 0; i < s.length(); i += Character.charCount(s.codePointAt(i)), cpIndex++) {
            if (s.startsWith(search, i)) {
                out.add(cpIndex);
                if (firstOnly) {
                    break;
                }
            }
        }
        return out;
    }

    private static Value substring(Value[] a, BuiltinContext c) throws BuiltinException {
        String s = Operands.string(a, 0);
        int start = Operands.integer(a, 1);
        int length = Operands.integer(a, 2);
        if (start < 0) {
            throw BuiltinException.error("negative offset");
        }
        int count = s.codePointCount(0, s.length());
        if (start >= count) {
            return StringValue.EMPTY;
        }
        int from = s.offsetByCodePoints(0, start);
        if (length < 0 || (long) start + length >= count) {
            return StringValue.of(s.substring(from));
        }
        return StringValue.of(s.substring(from, s.offsetByCodePoints(from, length)));
    }

    private static Value replaceN(Value[] a, BuiltinContext c) throws BuiltinException {
        ObjectValue patterns = Operands.object(a, 0);
        String s = Operands.string(a, 1);
        List<String> olds = new ArrayList<>();
        List<String> news = new ArrayList<>();
        for (Value k : patterns.sortedKeys()) {
            if (!(k instanceof StringValue ks)) {
                throw BuiltinException.typeError("operand 1 non-string key found in pattern object");
            }
            if (!(patterns.get(k) instanceof StringValue vs)) {
                throw BuiltinException.typeError("operand 1 non-string value found in pattern object");
            }
            olds.add(ks.value());
            news.add(vs.value());
        }
        return StringValue.of(replace(s, olds, news, c));
    }

    /**
     * Go's strings.Replacer: left to right, without overlaps; at one position the first pattern in
     * argument order wins; an empty pattern matches once at each position (between code points and at both ends).
     */
    static String replace(String s, List<String> olds, List<String> news, BuiltinContext c) throws BuiltinException {
        c.charge(1 + s.length() / 64);
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        boolean previousEmpty = false;
        while (i <= s.length()) {
            int match = -1;
            for (int p = 0; p < olds.size(); p++) {
                String old = olds.get(p);
                if ((!old.isEmpty() || !previousEmpty) && s.startsWith(old, i)) {
                    match = p;
                    break;
                }
            }
            if (match >= 0) {
                sb.append(news.get(match));
                i += olds.get(match).length();
                previousEmpty = olds.get(match).isEmpty();
                continue;
            }
            previousEmpty = false;
            if (i == s.length()) {
                break;
            }
            int cp = s.codePointAt(i);
            sb.appendCodePoint(cp);
            i += Character.charCount(cp);
        }
        if (sb.length() > 1 << 26) {
            throw BuiltinException.error("result too large");
        }
        return sb.toString();
    }

    private static String trimLeft(String s, String cutset) {
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (cutset.indexOf(cp) < 0) {
                break;
            }
            i += Character.charCount(cp);
        }
        return s.substring(i);
    }

    private static String trimRight(String s, String cutset) {
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (cutset.indexOf(cp) < 0) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    /** Go's unicode.IsSpace. */
    static boolean isGoSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    static String trimSpace(String s) {
        int start = 0;
        while (start < s.length() && isGoSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        int end = s.length();
        while (end > start && isGoSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    private static Value anyMatch(Value[] a, boolean prefix) throws BuiltinException {
        List<String> strs = stringOrStrings(a, 0);
        List<String> affixes = stringOrStrings(a, 1);
        for (String s : strs) {
            for (String x : affixes) {
                if (prefix ? s.startsWith(x) : s.endsWith(x)) {
                    return BooleanValue.TRUE;
                }
            }
        }
        return BooleanValue.FALSE;
    }

    private static List<String> stringOrStrings(Value[] a, int i) throws BuiltinException {
        if (a[i] instanceof StringValue s) {
            return List.of(s.value());
        }
        if (a[i] instanceof ArrayValue || a[i] instanceof dev.gatehouse.rego.value.SetValue) {
            return Operands.strings(a, i);
        }
        throw BuiltinException.operandType(i + 1, a[i], "string", "set", "array");
    }
}
