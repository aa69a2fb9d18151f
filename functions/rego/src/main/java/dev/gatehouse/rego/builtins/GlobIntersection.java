package dev.gatehouse.rego.builtins;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether two simple globs (the syntax of OPA's regex.globs_match: {@code .} any character,
 * {@code [a-z0-9]} sets, backslash escapes, and the postfix flags {@code *} and {@code +}) match
 * at least one common string. Decided by a search over pairs of glob positions.
 */
final class GlobIntersection {

    private static final int MAX_LENGTH = 10_000;

    private GlobIntersection() {
    }

    /** One glob element; {@code set == null} with {@code any} false means a single character. */
    private record Token(boolean any, int ch, Set<Integer> set, boolean star) {
        boolean matches(Token other) {
            if (set != null && set.isEmpty() || other.set != null && other.set.isEmpty()) {
                return false;
            }
            if (any || other.any) {
                return true;
            }
            if (set == null && other.set == null) {
                return ch == other.ch;
            }
            if (set == null) {
                return other.set.contains(ch);
            }
            if (other.set == null) {
                return set.contains(other.ch);
            }
            for (int c : set) {
                if (other.set.contains(c)) {
                    return true;
                }
            }
            return false;
        }
    }

    static boolean nonEmpty(String a, String b) throws BuiltinException {
        List<Token> x = tokenize(a);
        List<Token> y = tokenize(b);
        Set<Long> seen = new HashSet<>();
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[] {0, 0});
        while (!queue.isEmpty()) {
            int[] s = queue.poll();
            int i = s[0];
            int j = s[1];
            if (!seen.add(((long) i << 32) | j)) {
                continue;
            }
            if (i == x.size() && j == y.size()) {
                return true;
            }
            if (i < x.size() && x.get(i).star()) {
                queue.add(new int[] {i + 1, j});
            }
            if (j < y.size() && y.get(j).star()) {
                queue.add(new int[] {i, j + 1});
            }
            if (i < x.size() && j < y.size() && x.get(i).matches(y.get(j))) {
                queue.add(new int[] {x.get(i).star() ? i : i + 1, y.get(j).star() ? j : j + 1});
            }
        }
        return false;
    }

    /** Tokens with {@code c+} expanded to {@code c c*}. */
    private static List<Token> tokenize(String glob) throws BuiltinException {
        if (glob.length() > MAX_LENGTH) {
            throw BuiltinException.error("glob too long");
        }
        int[] cps = glob.codePoints().toArray();
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < cps.length) {
            int c = cps[i];
            Token t;
            if (c == '\\') {
                if (i + 1 >= cps.length) {
                    throw invalid(i, "input ends with a \\ (escape) character");
                }
                t = new Token(false, cps[i + 1], null, false);
                i += 2;
            } else if (c == '.') {
                t = new Token(true, 0, null, false);
                i++;
            } else if (c == ']') {
                throw invalid(i + 1, "set-close ']' with no preceding '['");
            } else if (c == '+' || c == '*') {
                throw invalid(i + 1, "flag '" + (char) c + "' must be preceded by a non-flag");
            } else if (c == '[') {
                Set<Integer> set = new HashSet<>();
                i++;
                boolean complete = false;
                int prev = -1;
                while (i < cps.length) {
                    int r = cps[i];
                    if (r == '\\') {
                        if (i + 1 >= cps.length) {
                            throw invalid(i, "input ends with a \\ (escape) character");
                        }
                        prev = cps[i + 1];
                        set.add(prev);
                        i += 2;
                    } else if (r == ']') {
                        complete = true;
                        i++;
                        break;
                    } else if (r == '-') {
                        if (prev < 0) {
                            throw invalid(i + 1, "range character '-' must be preceded by a Unicode character");
                        }
                        if (i + 1 >= cps.length - 1) {
                            throw invalid(i + 1, "range character '-' must be followed by a Unicode character");
                        }
                        int end = cps[i + 1];
                        int step = 2;
                        if (end == '\\') {
                            end = cps[i + 2];
                            step = 3;
                        } else if (end == ']' || end == '-') {
                            throw invalid(i + 2, "range character '-' cannot be followed by a special symbol");
                        }
                        if (end < prev) {
                            throw invalid(i + step, "range is out of order");
                        }
                        if (end - prev > 0x10000) {
                            throw BuiltinException.error("glob range too large");
                        }
                        for (int x = prev; x <= end; x++) {
                            set.add(x);
                        }
                        prev = -1;
                        i += step;
                    } else {
                        prev = r;
                        set.add(r);
                        i++;
                    }
                }
                if (!complete) {
                    throw invalid(i, "found [ without matching ]");
                }
                t = new Token(false, 0, set, false);
            } else {
                t = new Token(false, c, null, false);
                i++;
            }
            if (i < cps.length && (cps[i] == '*' || cps[i] == '+')) {
                if (cps[i] == '+') {
                    out.add(t);
                }
                t = new Token(t.any(), t.ch(), t.set(), true);
                i++;
            }
            out.add(t);
        }
        return out;
    }

    private static BuiltinException invalid(int pos, String message) {
        return BuiltinException.error("pos:" + pos + ":" + message + ": the input provided is invalid");
    }
}
