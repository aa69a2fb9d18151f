package dev.gatehouse.rego.builtins;

import java.util.Base64;

/** Go's base64.StdEncoding.DecodeString: padding required, CR and LF skipped, errors at a byte offset. */
final class GoBase64 {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private GoBase64() {
    }

    static byte[] decodeStd(String s) throws BuiltinException {
        StringBuilder clean = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') {
                continue;
            }
            if (c != '=' && ALPHABET.indexOf(c) < 0) {
                throw illegal(i);
            }
            clean.append(c);
        }
        if (clean.length() % 4 != 0) {
            throw illegal(clean.length() / 4 * 4);
        }
        try {
            return Base64.getDecoder().decode(clean.toString());
        } catch (IllegalArgumentException e) {
            throw illegal(Math.max(0, clean.indexOf("=")));
        }
    }

    private static BuiltinException illegal(int at) {
        return BuiltinException.error("illegal base64 data at input byte " + at);
    }
}
