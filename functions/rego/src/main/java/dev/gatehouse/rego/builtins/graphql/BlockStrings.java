package dev.gatehouse.rego.builtins.graphql;

import java.util.Arrays;

/** The GraphQL spec's BlockStringValue(): common indentation and blank first/last lines removed. */
final class BlockStrings {

    private static final int ALL_WHITESPACE = Integer.MAX_VALUE;

    private BlockStrings() {
    }

    static String value(String raw) {
        String[] lines = raw.split("\n", -1);
        int commonIndent = ALL_WHITESPACE;
        for (String line : lines) {
            int indent = leadingWhitespace(line);
            if (indent < line.length() && indent < commonIndent) {
                commonIndent = indent;
                if (commonIndent == 0) {
                    break;
                }
            }
        }
        if (commonIndent != ALL_WHITESPACE) {
            for (int i = 1; i < lines.length; i++) {
                lines[i] = lines[i].length() < commonIndent ? "" : lines[i].substring(commonIndent);
            }
        }
        int first = 0;
        int last = lines.length;
        while (first < last && leadingWhitespace(lines[first]) == ALL_WHITESPACE) {
            first++;
        }
        while (first < last && leadingWhitespace(lines[last - 1]) == ALL_WHITESPACE) {
            last--;
        }
        return String.join("\n", Arrays.asList(lines).subList(first, last));
    }

    private static int leadingWhitespace(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t') {
                return i;
            }
        }
        return ALL_WHITESPACE;
    }
}
