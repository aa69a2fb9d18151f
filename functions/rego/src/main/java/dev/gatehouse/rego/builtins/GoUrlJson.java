package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A URI from a certificate as Go's json.Marshal writes the *url.URL that url.Parse gives for it. */
final class GoUrlJson {

    private GoUrlJson() {
    }

    static Value of(String raw) throws BuiltinException {
        String rest = raw;
        String fragment = "";
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            fragment = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        String scheme = "";
        int colon = schemeEnd(rest);
        if (colon == 0) {
            throw BuiltinException.error("x509: cannot parse URI \"" + raw + "\": missing protocol scheme");
        }
        if (colon > 0) {
            scheme = rest.substring(0, colon).toLowerCase(Locale.ROOT);
            rest = rest.substring(colon + 1);
        }
        boolean forceQuery = false;
        String query = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            forceQuery = query.isEmpty();
            rest = rest.substring(0, question);
        }
        String opaque = "";
        Value user = NullValue.NULL;
        String host = "";
        boolean omitHost = false;
        if (!rest.startsWith("/") && !scheme.isEmpty()) {
            opaque = rest;
            rest = "";
        } else if (!scheme.isEmpty() && rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            rest = slash < 0 ? "" : rest.substring(slash);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                user = ObjectValue.EMPTY;
            }
            host = authority.substring(at + 1);
        } else if (!scheme.isEmpty() && rest.startsWith("/")) {
            omitHost = true;
        }
        String path = unescape(rest);
        return ObjectValue.builder()
                .put("Scheme", StringValue.of(scheme))
                .put("Opaque", StringValue.of(opaque))
                .put("User", user)
                .put("Host", StringValue.of(host))
                .put("Path", StringValue.of(path))
                .put("RawPath", StringValue.of(GoUrl.escapePath(path).equals(rest) ? "" : rest))
                .put("OmitHost", BooleanValue.of(omitHost))
                .put("ForceQuery", BooleanValue.of(forceQuery))
                .put("RawQuery", StringValue.of(query))
                .put("Fragment", StringValue.of(unescape(fragment)))
                .put("RawFragment", StringValue.of(""))
                .build();
    }

    private static int schemeEnd(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                continue;
            }
            if (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
                continue;
            }
            return c == ':' ? i : -1;
        }
        return -1;
    }

    private static String unescape(String s) throws BuiltinException {
        if (s.indexOf('%') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw BuiltinException.error("x509: cannot parse URI \"" + s + "\": invalid URL escape");
        }
    }
}
