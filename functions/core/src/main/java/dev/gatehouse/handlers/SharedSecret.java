package dev.gatehouse.handlers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The shared secret a caller that cannot sign requests (a distribution registry's notification
 * endpoint) sends as {@code Authorization: Bearer <secret>}. Compared in constant time, before the
 * body is read as anything.
 */
public final class SharedSecret {

    /** Shorter secrets are guessable; refuse them at configuration time. */
    public static final int MIN_LENGTH = 16;
    private static final String BEARER = "Bearer ";

    private final byte[] secret;

    private SharedSecret(byte[] secret) {
        this.secret = secret;
    }

    /** The secret from its configured text (surrounding white space, e.g. a file's newline, dropped). */
    public static SharedSecret of(String value) {
        String trimmed = value == null ? "" : value.strip();
        if (trimmed.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("webhook shared secret must be at least " + MIN_LENGTH + " characters");
        }
        return new SharedSecret(trimmed.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code authorization} (the header's value, possibly null) carries this secret. */
    public boolean accepts(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] offered = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(offered, secret);
    }

    @Override
    public String toString() {
        return "SharedSecret[****]";
    }
}
