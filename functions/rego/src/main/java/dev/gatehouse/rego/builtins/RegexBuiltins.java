package dev.gatehouse.rego.builtins;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Regular expression builtins with RE2 syntax and Go's regexp semantics for repeated and empty matches. */
final class RegexBuiltins {

    /** Compiled patterns are immutable: keep a bounded cache across queries. */
    private static final int CACHE_LIMIT = 1000;
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private RegexBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        BuiltinFunction match = (a, c) -> {
            Pattern p = compile(Operands.string(a, 0));
            return BooleanValue.of(p.matcher(Operands.string(a, 1)).find());
        };
        r.register("regex.match", 2, match);
        r.register("re_match", 2, match);
        r.register("regex.is_valid", 1, (a, c) -> {
            if (!(a[0] instanceof StringValue s)) {
                return BooleanValue.FALSE;
            }
            try {
                compile(s.value());
                return BooleanValue.TRUE;
            } catch (BuiltinException e) {
                return BooleanValue.FALSE;
            }
        });
        r.register("regex.split", 2, (a, c) -> split(compile(Operands.string(a, 0)), Operands.string(a, 1), c));
        r.register("regex.find_n", 3, (a, c) -> {
            Pattern p = compile(Operands.string(a, 0));
            String s = Operands.string(a, 1);
            int n = Operands.integer(a, 2);
            List<Value> out = new ArrayList<>();
            for (int[] m : findAll(p, s, n, c)) {
                out.add(StringValue.of(s.substring(m[0], m[1])));
            }
            return ArrayValue.of(out);
        });
        r.register("regex.find_all_string_submatch_n", 3, (a, c) -> {
            Pattern p = compile(Operands.string(a, 0));
            String s = Operands.string(a, 1);
            int n = Operands.integer(a, 2);
            List<Value> out = new ArrayList<>();
            for (int[] m : findAll(p, s, n, c)) {
                List<Value> groups = new ArrayList<>();
                for (int g = 0; g < m.length / 2; g++) {
                    groups.add(m[2 * g] < 0 ? StringValue.EMPTY : StringValue.of(s.substring(m[2 * g], m[2 * g + 1])));
                }
                out.add(ArrayValue.of(groups));
            }
            return ArrayValue.of(out);
        });
        r.register("regex.replace", 3, (a, c) -> {
            String s = Operands.string(a, 0);
            Pattern p = compile(Operands.string(a, 1));
            String template = Operands.string(a, 2);
            return StringValue.of(replaceAll(p, s, template, c));
        });
        r.register("regex.template_match", 4, RegexBuiltins::templateMatch);
        r.register("regex.globs_match", 2, (a, c) ->
                BooleanValue.of(GlobIntersection.nonEmpty(Operands.string(a, 0), Operands.string(a, 1))));
    }

    static Pattern compile(String pattern) throws BuiltinException {
        Pattern p = CACHE.get(pattern);
        if (p != null) {
            return p;
        }
        try {
            p = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw BuiltinException.error(e.getMessage());
        }
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(pattern, p);
        return p;
    }

    /**
     * Go's FindAll: at most {@code n} matches (all when negative); after an empty match the search
     * moves one code point on, and an empty match right after a match is dropped. Each result holds
     * start/end pairs for the whole match and every group (-1 when a group did not take part).
     */
    static List<int[]> findAll(Pattern p, String s, int n, BuiltinContext c) throws BuiltinException {
        List<int[]> out = new ArrayList<>();
        if (n == 0) {
            return out;
        }
        Matcher m = p.matcher(s);
        int pos = 0;
        int prevEnd = -1;
        while (pos <= s.length() && (n < 0 || out.size() < n)) {
            if (!m.find(pos)) {
                break;
            }
            c.charge(1);
            boolean accept = true;
            if (m.end() == m.start()) {
                if (m.start() == prevEnd) {
                    accept = false;
                }
                pos = m.end() < s.length() ? m.end() + Character.charCount(s.codePointAt(m.end())) : m.end() + 1;
            } else {
                pos = m.end();
            }
            prevEnd = m.end();
            if (accept) {
                int[] groups = new int[2 * (m.groupCount() + 1)];
                for (int g = 0; g <= m.groupCount(); g++) {
                    groups[2 * g] = m.start(g);
                    groups[2 * g + 1] = m.end(g);
                }
                out.add(groups);
            }
        }
        return out;
    }

    private static Value split(Pattern p, String s, BuiltinContext c) throws BuiltinException {
        if (s.isEmpty() && !p.pattern().isEmpty()) {
            return ArrayValue.of(StringValue.EMPTY);
        }
        List<Value> out = new ArrayList<>();
        int beg = 0;
        int end = 0;
        for (int[] m : findAll(p, s, -1, c)) {
            end = m[0];
            if (m[1] != 0) {
                out.add(StringValue.of(s.substring(beg, end)));
            }
            beg = m[1];
        }
        if (end != s.length()) {
            out.add(StringValue.of(s.substring(beg)));
        }
        return ArrayValue.of(out);
    }

    /** Go's ReplaceAllString with $1, ${1}, $name and ${name} expansion. */
    static String replaceAll(Pattern p, String s, String template, BuiltinContext c) throws BuiltinException {
        StringBuilder sb = new StringBuilder();
        Matcher m = p.matcher(s);
        int lastEnd = 0;
        int searchPos = 0;
        while (searchPos <= s.length()) {
            if (!m.find(searchPos)) {
                break;
            }
            c.charge(1);
            sb.append(s, lastEnd, m.start());
            if (m.end() > lastEnd || m.start() == 0) {
                expand(sb, template, m, s);
            }
            lastEnd = m.end();
            int width = searchPos < s.length() ? Character.charCount(s.codePointAt(searchPos)) : 1;
            if (searchPos + width > m.end()) {
                searchPos += width;
            } else if (searchPos + 1 > m.end()) {
                searchPos++;
            } else {
                searchPos = m.end();
            }
            if (sb.length() > 1 << 26) {
                throw BuiltinException.error("result too large");
            }
        }
        if (lastEnd < s.length()) {
            sb.append(s, lastEnd, s.length());
        }
        return sb.toString();
    }

    private static void expand(StringBuilder sb, String template, Matcher m, String s) {
        int i = 0;
        while (i < template.length()) {
            char ch = template.charAt(i);
            if (ch != '$' || i + 1 >= template.length()) {
                sb.append(ch);
                i++;
                continue;
            }
            if (template.charAt(i + 1) == '$') {
                sb.append('$');
                i += 2;
                continue;
            }
            String name;
            int next;
            if (template.charAt(i + 1) == '{') {
                int close = template.indexOf('}', i + 2);
                name = close < 0 ? "" : template.substring(i + 2, close);
                next = close + 1;
                if (close < 0 || !isName(name)) {
                    sb.append('$');
                    i++;
                    continue;
                }
            } else {
                int j = i + 1;
                while (j < template.length() && isNameChar(template.charAt(j))) {
                    j++;
                }
                name = template.substring(i + 1, j);
                next = j;
                if (name.isEmpty()) {
                    sb.append('$');
                    i++;
                    continue;
                }
            }
            appendGroup(sb, m, name);
            i = next;
        }
    }

    private static void appendGroup(StringBuilder sb, Matcher m, String name) {
        if (name.chars().allMatch(Character::isDigit)) {
            if (name.length() > 8) {
                return;
            }
            int g = Integer.parseInt(name);
            if (g <= m.groupCount() && m.start(g) >= 0) {
                sb.append(m.group(g));
            }
            return;
        }
        try {
            String v = m.group(name);
            if (v != null) {
                sb.append(v);
            }
        } catch (IllegalArgumentException unknownGroup) {
            // Go expands an unknown group name to the empty string.
        }
    }

    private static boolean isName(String s) {
        return !s.isEmpty() && s.chars().allMatch(ch -> isNameChar((char) ch));
    }

    private static boolean isNameChar(char ch) {
        return ch == '_' || Character.isLetterOrDigit(ch);
    }

    private static Value templateMatch(Value[] a, BuiltinContext c) throws BuiltinException {
        String template = Operands.string(a, 0);
        String input = Operands.string(a, 1);
        String start = Operands.string(a, 2);
        String end = Operands.string(a, 3);
        if (start.length() != 1) {
            throw BuiltinException.error("start delimiter has to be exactly one character long but is " + start.length() + " long");
        }
        if (end.length() != 1) {
            throw BuiltinException.error("end delimiter has to be exactly one character long but is " + start.length() + " long");
        }
        char open = start.charAt(0);
        char close = end.charAt(0);
        StringBuilder pattern = new StringBuilder("^");
        int level = 0;
        int idx = 0;
        int literalStart = 0;
        for (int i = 0; i < template.length(); i++) {
            char ch = template.charAt(i);
            if (ch == open) {
                if (++level == 1) {
                    idx = i;
                }
            } else if (ch == close) {
                if (--level == 0) {
                    String inner = template.substring(idx + 1, i);
                    compile("^" + inner + "$");
                    pattern.append(Pattern.quote(template.substring(literalStart, idx))).append('(').append(inner).append(')');
                    literalStart = i + 1;
                } else if (level < 0) {
                    throw BuiltinException.error("unbalanced braces in \"" + template + "\"");
                }
            }
        }
        if (level != 0) {
            throw BuiltinException.error("unbalanced braces in \"" + template + "\"");
        }
        pattern.append(Pattern.quote(template.substring(literalStart))).append('$');
        return BooleanValue.of(compile(pattern.toString()).matcher(input).find());
    }
}
