package dev.gatehouse.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors in words a user can act on: one line, the document never echoed, and no
 * Java names (Jackson's limit messages cite {@code StreamReadConstraints} methods and databind types).
 */
public final class JsonProblems {

    private static final Pattern SOURCE_LOCATION =
            Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)]");
    private static final Pattern LIMIT = Pattern.compile(
            "(Document nesting depth|Number value length|String value length|Name length|Document length|Token count) \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)[^)]*\\).*",
            Pattern.DOTALL);
    private static final Pattern TRAILING = Pattern.compile("Trailing token \\(of type (\\w+)\\).*", Pattern.DOTALL);
    private static final Pattern JAVA_NAME = Pattern.compile("\\s*\\((?:bound as|from|through reference chain)? ?`[^`]*`[^)]*\\)|`[a-z][\\w.]*\\.[A-Z]\\w*(?:\\.\\w+)*(?:\\(\\))?`");

    // Decoding errors arrive wrapped ("java.io.CharConversionException: Invalid UTF-8 ... (at char #1, byte #-1)").
    private static final Pattern WRAPPED = Pattern.compile("^(?:[a-z]\\w*\\.)+[A-Z]\\w*(?:Exception|Error): |\\s*\\(at char #-?\\d+, byte #-?\\d+\\)");

    private JsonProblems() {}

    /** What is wrong, without the location (see {@link #location}). */
    public static String describe(JsonProcessingException e) {
        return describe(e.getOriginalMessage());
    }

    /**
     * For YAML: SnakeYAML's message is a context ("while parsing a flow node"), the problem
     * ("expected the node content, but found '<stream end>'") and, indented under each, where and a
     * quote of the document. Only the unindented lines are kept, so the document is not echoed.
     */
    public static String describeFirstLine(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return describe((String) null);
        }
        return describe(String.join(": ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList()));
    }

    static String describe(String message) {
        if (message == null || message.isBlank()) {
            return "malformed document";
        }
        Matcher limit = LIMIT.matcher(message);
        if (limit.matches()) {
            String max = limit.group(3);
            return switch (limit.group(1)) {
                case "Document nesting depth" -> "nested deeper than " + max + " levels";
                case "Number value length" -> "a number longer than " + max + " digits";
                case "String value length" -> "a string longer than " + max + " characters";
                case "Name length" -> "a field name longer than " + max + " characters";
                case "Document length" -> "longer than " + max + " characters";
                default -> "more than " + max + " tokens";
            };
        }
        Matcher trailing = TRAILING.matcher(message);
        if (trailing.matches()) {
            return "content after the end of the document (" + trailing.group(1).toLowerCase().replace('_', ' ') + ")";
        }
        String text = SOURCE_LOCATION.matcher(message).replaceAll("line $1, column $2");
        text = WRAPPED.matcher(text).replaceAll("");
        text = JAVA_NAME.matcher(text).replaceAll("");
        return Printable.oneLine(text.replaceAll("\\s*\\R\\s*", " ").strip());
    }

    /**
     * "line L, column C" of the problem, or "" when unknown. Limit violations carry no location of
     * their own, so the parser's position is used when one is given.
     */
    public static String location(JsonProcessingException e, JsonParser parser) {
        JsonLocation at = e.getLocation();
        if ((at == null || at.getLineNr() < 0) && parser != null) {
            at = parser.currentLocation();
        }
        if (at == null || at.getLineNr() < 0) {
            return "";
        }
        return "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
}
