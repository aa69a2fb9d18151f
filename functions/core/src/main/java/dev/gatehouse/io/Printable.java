package dev.gatehouse.io;

/**
 * Makes text taken from outside input safe to put in a one-line message or log line: control and
 * line-separator characters become escapes, so a hostile value can neither break the line nor
 * forge a second one.
 */
public final class Printable {

    /** Another service's error message quoted in one of ours: the reason, never a whole body. */
    public static final int QUOTED_ERROR_CHARS = 300;

    private Printable() {
    }

    /**
     * {@link #oneLine(String)} of {@code text} without surrounding whitespace, cut to at most
     * {@code maxChars} characters (ending in "...") when longer: for messages built from error text
     * of any size (a registry's body, a service's error message). Null reads as empty.
     */
    public static String oneLine(String text, int maxChars) {
        if (maxChars < 4) {
            throw new IllegalArgumentException("maxChars must be at least 4, got " + maxChars);
        }
        if (text == null) {
            return "";
        }
        String stripped = text.strip();
        // Escaping only lengthens, so the first maxChars characters are all that can be shown.
        boolean cut = stripped.length() > maxChars;
        String line = oneLine(cut ? stripped.substring(0, maxChars) : stripped);
        if (!cut && line.length() <= maxChars) {
            return line;
        }
        int end = maxChars - 3;
        if (Character.isHighSurrogate(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(0, end) + "...";
    }

    public static String oneLine(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085';
            if (unsafe && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (!unsafe) {
                    out.append(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == '\t') {
                    out.append("\\t");
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
