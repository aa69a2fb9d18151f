package dev.gatehouse.ports;

import java.util.regex.Pattern;

/**
 * Shape checks for the names that become parts of store keys (repositories, tags, revisions,
 * blob keys). They keep separators used by the stores out of key parts, so one key can never
 * alias another, and bound their length.
 */
public final class StoredKeys {

    private static final Pattern REPOSITORY =
            Pattern.compile("[a-z0-9]+(?:[._:-][a-z0-9]+|-+[a-z0-9]+|__[a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+|-+[a-z0-9]+|__[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,255}");
    private static final Pattern BLOB_KEY = Pattern.compile("[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*");
    private static final int MAX_REPOSITORY = 255;
    private static final int MAX_BLOB_KEY = 512;

    private StoredKeys() {}

    /** A repository with its registry host ({@code registry.example.com:5000/team/app}). */
    public static String repository(String value) {
        if (value == null || value.length() > MAX_REPOSITORY || !REPOSITORY.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid repository name '" + shorten(value) + "'");
        }
        return value;
    }

    public static String tag(String value) {
        if (value == null || !TAG.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid tag '" + shorten(value) + "'");
        }
        return value;
    }

    /** A policy bundle revision, an idempotency key or another opaque identifier. */
    public static String token(String what, String value) {
        if (value == null || !TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + " '" + shorten(value)
                    + "': expected 1-256 characters of [A-Za-z0-9._:@+=-], starting with a letter or digit");
        }
        return value;
    }

    /** A relative blob key of {@code /}-separated segments, none of them {@code .} or {@code ..}. */
    public static String blobKey(String value) {
        if (value == null || value.length() > MAX_BLOB_KEY || !BLOB_KEY.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid blob key '" + shorten(value) + "'");
        }
        for (String segment : value.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid blob key '" + shorten(value) + "': '" + segment + "' segment");
            }
        }
        return value;
    }

    /** A blob key prefix: empty, or a key optionally ending with {@code /}. */
    public static String blobPrefix(String value) {
        if (value == null) {
            throw new IllegalArgumentException("missing blob key prefix");
        }
        if (value.isEmpty()) {
            return value;
        }
        blobKey(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        return value;
    }

    private static String shorten(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 80 ? value.substring(0, 80) + "..." : value;
    }
}
