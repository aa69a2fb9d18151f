package dev.gatehouse.rego.builtins;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** PEM text as OPA's key and certificate builtins read it. */
final class Pem {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private Pem() {
    }

    record Block(String type, byte[] der) {
    }


    /** OPA's getRequestBytes: PEM text as is, anything else must be base64 of it. */
    static String textOrBase64(String input) throws BuiltinException {
        if (input.contains("-----BEGIN")) {
            return input;
        }
        return new String(EncodingBuiltins.decode(input, false, true), StandardCharsets.UTF_8);
    }

    /**
     * The {@code -----BEGIN T-----...-----END T-----} blocks in order, each body ending at the first END
     * of its type. The END markers are indexed first, so a BEGIN without its END costs a lookup rather
     * than a rescan of the rest of the text (a pattern with a back-reference is quadratic here).
     */
    static List<Block> blocks(String pem) throws BuiltinException {
        Map<String, TreeSet<Integer>> ends = new HashMap<>();
        for (int at = pem.indexOf(END); at >= 0; at = pem.indexOf(END, at + 1)) {
            String type = markerType(pem, at + END.length());
            if (type != null) {
                ends.computeIfAbsent(type, t -> new TreeSet<>()).add(at);
            }
        }
        List<Block> blocks = new ArrayList<>();
        for (int at = pem.indexOf(BEGIN); at >= 0; ) {
            String type = markerType(pem, at + BEGIN.length());
            int next = at + 1;
            if (type != null) {
                int body = at + BEGIN.length() + type.length() + DASHES.length();
                Integer end = ends.containsKey(type) ? ends.get(type).ceiling(body) : null;
                if (end != null) {
                    try {
                        blocks.add(new Block(type, Base64.getMimeDecoder().decode(pem.substring(body, end).strip())));
                    } catch (IllegalArgumentException e) {
                        throw BuiltinException.error("failed to parse PEM block: " + e.getMessage());
                    }
                    next = end + END.length() + type.length() + DASHES.length();
                }
            }
            at = pem.indexOf(BEGIN, next);
        }
        return blocks;
    }

    /** The block type ({@code [A-Z0-9 ]+}) starting at {@code from} and closed by dashes, or null. */
    private static String markerType(String pem, int from) {
        int i = from;
        while (i < pem.length() && (pem.charAt(i) >= 'A' && pem.charAt(i) <= 'Z' || pem.charAt(i) >= '0' && pem.charAt(i) <= '9'
                || pem.charAt(i) == ' ')) {
            i++;
        }
        return i > from && pem.startsWith(DASHES, i) ? pem.substring(from, i) : null;
    }
}
