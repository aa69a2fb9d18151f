package dev.gatehouse.lambda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough HCL to read the structured parts of terraform/main.tf: balanced blocks and lists
 * (skipping strings, their {@code ${...}} interpolations with nested strings, and comments), the
 * entries of a map of objects, lists of objects written out or taken from such a map, and the
 * string literals of a list attribute.
 */
final class HclScanner {

    private static final Pattern ENTRY = Pattern.compile("\\G\\s*(?:#[^\\n]*\\s*)*\"([^\"]+)\"\\s*=\\s*\\{");
    private static final Pattern LOCAL_ENTRY = Pattern.compile("local\\.([a-z_]+)\\[\"([^\"]+)\"\\]");

    private HclScanner() {}

    /** The text between the brace after the first match of {@code header} and its closing brace. */
    static String block(String text, String header) {
        Matcher m = Pattern.compile(header + "\\s*\\{").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no block '" + header + "'");
        }
        return text.substring(m.end(), closing(text, m.end() - 1));
    }

    /** The entries {@code "key" = { ... }} of a map-of-objects body, in order. */
    static Map<String, String> objectEntries(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        int pos = 0;
        while (true) {
            Matcher m = ENTRY.matcher(body);
            if (!m.find(pos)) {
                if (!body.substring(pos).isBlank()) {
                    throw new AssertionError("unexpected text in map: " + body.substring(pos).strip());
                }
                return out;
            }
            int end = closing(body, m.end() - 1);
            out.put(m.group(1), body.substring(m.end(), end));
            pos = end + 1;
        }
    }

    /**
     * The objects at the top level of the list attribute {@code name}: each {@code { ... }} as
     * written, and each {@code local.<map>["KEY"]} as the body of that entry of {@code locals}, a
     * map of map name to its {@link #objectEntries}.
     */
    static List<String> objectsOfList(String body, String name, Map<String, Map<String, String>> locals) {
        String list = listText(body, name);
        List<String> out = new ArrayList<>();
        Matcher reference = LOCAL_ENTRY.matcher(list);
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '#') {
                i = list.indexOf('\n', i);
                if (i < 0) {
                    break;
                }
            } else if (c == '{') {
                int end = closing(list, i);
                out.add(list.substring(i + 1, end));
                i = end;
            } else if (reference.region(i, list.length()).lookingAt()) {
                String entry = locals.getOrDefault(reference.group(1), Map.of()).get(reference.group(2));
                if (entry == null) {
                    throw new AssertionError("no local " + reference.group());
                }
                out.add(entry);
                i = reference.end() - 1;
            } else if (!Character.isWhitespace(c) && c != ',') {
                throw new AssertionError("unexpected text in list '" + name + "' at: " + list.substring(i).strip().lines().findFirst().orElse(""));
            }
        }
        return out;
    }

    /** The string literals of the list attribute {@code name} (first occurrence at any depth). */
    static List<String> strings(String body, String name) {
        String list = listText(body, name);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.length(); i++) {
            if (list.charAt(i) == '"') {
                int end = stringEnd(list, i);
                out.add(list.substring(i + 1, end));
                i = end;
            }
        }
        return out;
    }

    /** The elements of the list attribute {@code name} as written; string literals without their quotes. */
    static List<String> items(String body, String name) {
        String list = listText(body, name);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= list.length(); i++) {
            char c = i < list.length() ? list.charAt(i) : ',';
            if (c == '"') {
                i = stringEnd(list, i);
            } else if (c == '{' || c == '[' || c == '(') {
                i = closing(list, i);
            } else if (c == ',') {
                String item = list.substring(start, i).strip();
                if (!item.isEmpty()) {
                    out.add(item.startsWith("\"") && stringEnd(item, 0) == item.length() - 1 ? item.substring(1, item.length() - 1) : item);
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static String listText(String body, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s*=\\s*\\[").matcher(body);
        if (!m.find()) {
            throw new AssertionError("no list attribute '" + name + "'");
        }
        return body.substring(m.end(), closing(body, m.end() - 1));
    }

    /** Index of the bracket that closes the one at {@code open}. */
    static int closing(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                i = stringEnd(text, i);
            } else if (c == '#') {
                i = text.indexOf('\n', i);
                if (i < 0) {
                    break;
                }
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        throw new AssertionError("unbalanced bracket at offset " + open);
    }

    /** Index of the quote that ends the string starting at {@code start}, past any interpolations. */
    static int stringEnd(String text, int start) {
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int depth = 0;
                for (i = i + 1; i < text.length(); i++) {
                    char d = text.charAt(i);
                    if (d == '"') {
                        i = stringEnd(text, i);
                    } else if (d == '{') {
                        depth++;
                    } else if (d == '}' && --depth == 0) {
                        break;
                    }
                }
            }
        }
        throw new AssertionError("unterminated string at offset " + start);
    }
}
