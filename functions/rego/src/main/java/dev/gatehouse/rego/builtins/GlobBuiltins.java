package dev.gatehouse.rego.builtins;

import com.google.re2j.Pattern;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * glob.match with the syntax of gobwas/glob as OPA uses it: {@code *} stops at delimiters,
 * {@code **} does not, {@code ?}, {@code [a-z]}, {@code [!a-z]}, {@code {a,b}} and backslash escapes.
 * A null delimiter list means none; an empty list means {@code ["."]}. Globs compile to RE2 (linear time).
 */
final class GlobBuiltins {

    private static final int CACHE_LIMIT = 1000;
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();
    private static final String META = "*?\\[]{}";

    private GlobBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("glob.match", 3, (a, c) -> {
            String pattern = Operands.string(a, 0);
            List<Integer> delimiters = new ArrayList<>();
            if (a[1] instanceof ArrayValue arr) {
                for (Value v : arr.elements()) {
                    if (!(v instanceof StringValue s)) {
                        throw BuiltinException.typeError("operand 2 must be array of strings but got array containing " + v.typeName());
                    }
                    s.value().codePoints().limit(1).forEach(delimiters::add);
                }
                if (delimiters.isEmpty()) {
                    delimiters.add((int) '.');
                }
            } else if (!(a[1] instanceof NullValue)) {
                throw BuiltinException.operandType(2, a[1], "array", "null");
            }
            String match = Operands.string(a, 2);
            return BooleanValue.of(compile(pattern, delimiters).matcher(match).matches());
        });
        r.register("glob.quote_meta", 1, (a, c) -> {
            String s = Operands.string(a, 0);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (META.indexOf(ch) >= 0) {
                    sb.append('\\');
                }
                sb.append(ch);
            }
            return StringValue.of(sb.toString());
        });
    }

    private static Pattern compile(String glob, List<Integer> delimiters) throws BuiltinException {
        StringBuilder key = new StringBuilder(glob).append('\u0000');
        delimiters.forEach(key::appendCodePoint);
        Pattern p = CACHE.get(key.toString());
        if (p != null) {
            return p;
        }
        StringBuilder notDelimiter = new StringBuilder();
        if (delimiters.isEmpty()) {
            notDelimiter.append('.');
        } else {
            notDelimiter.append("[^");
            for (int d : delimiters) {
                notDelimiter.append(escapeInClass(d));
            }
            notDelimiter.append(']');
        }
        int[] cps = glob.codePoints().toArray();
        StringBuilder re = new StringBuilder("(?s)^");
        int end = translate(cps, 0, re, notDelimiter.toString(), 0);
        if (end != cps.length) {
            throw BuiltinException.error("unexpected end of input");
        }
        re.append('$');
        p = Pattern.compile(re.toString());
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(key.toString(), p);
        return p;
    }

    /** Translates from {@code i} until the end, or (inside braces) until an unmatched ',' or '}'. */
    private static int translate(int[] cps, int i, StringBuilder re, String single, int depth) throws BuiltinException {
        if (depth > 50) {
            throw BuiltinException.error("glob nesting too deep");
        }
        while (i < cps.length) {
            int c = cps[i];
            if (depth > 0 && (c == ',' || c == '}')) {
                return i;
            }
            switch (c) {
                case '*' -> {
                    if (i + 1 < cps.length && cps[i + 1] == '*') {
                        re.append(".*");
                        i += 2;
                    } else {
                        re.append(single).append('*');
                        i++;
                    }
                }
                case '?' -> {
                    re.append(single);
                    i++;
                }
                case '\\' -> {
                    if (i + 1 >= cps.length) {
                        throw BuiltinException.error("unexpected end of input");
                    }
                    re.append(Pattern.quote(new String(Character.toChars(cps[i + 1]))));
                    i += 2;
                }
                case '[' -> i = translateClass(cps, i + 1, re);
                case '{' -> {
                    re.append("(?:");
                    i++;
                    while (true) {
                        i = translate(cps, i, re, single, depth + 1);
                        if (i >= cps.length) {
                            throw BuiltinException.error("unexpected end of input");
                        }
                        if (cps[i] == '}') {
                            i++;
                            break;
                        }
                        re.append('|');
                        i++;
                    }
                    re.append(')');
                }
                default -> {
                    re.append(Pattern.quote(new String(Character.toChars(c))));
                    i++;
                }
            }
        }
        return i;
    }

    private static int translateClass(int[] cps, int i, StringBuilder re) throws BuiltinException {
        StringBuilder cls = new StringBuilder("[");
        if (i < cps.length && cps[i] == '!') {
            cls.append('^');
            i++;
        }
        boolean any = false;
        while (i < cps.length && cps[i] != ']') {
            int lo = cps[i];
            if (i + 2 < cps.length && cps[i + 1] == '-' && cps[i + 2] != ']') {
                int hi = cps[i + 2];
                if (hi < lo) {
                    throw BuiltinException.error("hi character '" + new String(Character.toChars(hi))
                            + "' should be greater than lo '" + new String(Character.toChars(lo)) + "'");
                }
                cls.append(escapeInClass(lo)).append('-').append(escapeInClass(hi));
                i += 3;
            } else {
                cls.append(escapeInClass(lo));
                i++;
            }
            any = true;
        }
        if (i >= cps.length) {
            throw BuiltinException.error("unexpected end of input");
        }
        if (!any) {
            throw BuiltinException.error("unexpected length of lo character");
        }
        re.append(cls).append(']');
        return i + 1;
    }

    private static String escapeInClass(int cp) {
        return String.format("\\x{%x}", cp);
    }
}
