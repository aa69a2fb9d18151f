package dev.gatehouse.rego.builtins;

import java.nio.charset.StandardCharsets;

/**
 * A URL split the way Go's net/url.Parse splits it. Request signing reads the host (with port),
 * {@link #escapedPath()} and the raw query; {@link GoUrlJson} writes the whole *url.URL. Errors carry
 * Go's wording.
 */
record GoUrl(String scheme, String opaque, boolean hasUser, String host, String rawPath, String path, boolean omitHost,
             boolean forceQuery, String rawQuery, String fragment) {

    static GoUrl parse(String raw) throws BuiltinException {
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                throw error(raw, "net/url: invalid control character in URL");
            }
        }
        String rest = raw;
        String fragment = "";
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            fragment = unescape(raw, rest.substring(hash + 1));
            rest = rest.substring(0, hash);
        }
        String scheme = "";
        int colon = schemeEnd(rest);
        if (colon == 0) {
            throw error(raw, "missing protocol scheme");
        }
        if (colon > 0) {
            scheme = rest.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
            rest = rest.substring(colon + 1);
        }
        String query = "";
        boolean forceQuery = false;
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            forceQuery = query.isEmpty();
            rest = rest.substring(0, question);
        }
        if (!rest.startsWith("/") && !scheme.isEmpty()) {
            return new GoUrl(scheme, rest, false, "", "", "", false, forceQuery, query, fragment);
        }
        String host = "";
        boolean hasUser = false;
        boolean omitHost = false;
        if (rest.startsWith("//") && (!scheme.isEmpty() || !rest.startsWith("///"))) {
            int slash = rest.indexOf('/', 2);
            String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            rest = slash < 0 ? "" : rest.substring(slash);
            int at = authority.lastIndexOf('@');
            hasUser = at >= 0;
            host = authority.substring(at + 1);
        } else if (!scheme.isEmpty() && rest.startsWith("/")) {
            omitHost = true;
        }
        return new GoUrl(scheme, "", hasUser, host, rest, unescape(raw, rest), omitHost, forceQuery, query, fragment);
    }

    /** Go's URL.EscapedPath: the path as written when that is a valid encoding, else the path escaped. */
    String escapedPath() {
        return validEncoded(rawPath) ? rawPath : escapePath(path);
    }

    /** Index of the ':' ending a scheme, 0 for a URL starting with ':', -1 when there is no scheme. */
    private static int schemeEnd(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetter(c) && c < 0x80) {
                continue;
            }
            if (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
                continue;
            }
            return c == ':' ? i : -1;
        }
        return -1;
    }

    private static String unescape(String raw, String s) throws BuiltinException {
        try {
            return EncodingBuiltins.unescape(s, false);
        } catch (BuiltinException e) {
            throw error(raw, e.getMessage());
        }
    }

    /** Go's validEncoded for paths: only characters a path may hold unescaped, and %XX. */
    private static boolean validEncoded(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("!$&'()*+,;=:@[]%".indexOf(c) >= 0) {
                continue;
            }
            if (shouldEscape(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean shouldEscape(int c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return false;
        }
        return "-_.~$&+,/:;=@".indexOf(c) < 0;
    }

    static String escapePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (shouldEscape(c)) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static BuiltinException error(String raw, String problem) {
        return BuiltinException.error("parse " + GoFormat.quote(raw, false) + ": " + problem);
    }
}
