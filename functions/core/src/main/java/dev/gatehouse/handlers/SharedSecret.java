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

    /**
     * Whether the caller presents this secret as a bearer token ({@code authorization}, possibly
     * null) or, for callers that can send no credentials (a managed Kubernetes control plane calling
     * a webhook URL), as {@code pathSegment}: the last segment of the URL path, taken as it was sent
     * (no percent-decoding, so such secrets use URL-safe characters), or null when there is none.
     * Both are compared in constant time.
     */
    public boolean accepts(String authorization, String pathSegment) {
        boolean header = accepts(authorization);
        boolean path = pathSegment != null && MessageDigest.isEqual(pathSegment.getBytes(StandardCharsets.UTF_8), secret);
        return header | path;
    }

    @Override
    public String toString() {
        return "SharedSecret[****]";
    }
}
