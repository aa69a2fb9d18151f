package dev.gatehouse.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A content digest as OCI writes it ({@code sha256:<64 hex>}). Only algorithms we can check are
 * accepted, and the hex length must match the algorithm: a digest we cannot verify is no digest.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    public Digest {
        int expected = switch (algorithm) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> throw new IllegalArgumentException("unsupported digest algorithm '" + algorithm + "'");
        };
        if (hex.length() != expected || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(
                    "invalid " + algorithm + " digest: expected " + expected + " lowercase hex characters");
        }
    }

    /** Parses {@code alg:hex}; throws {@link IllegalArgumentException} naming what is wrong. */
    public static Digest parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("missing digest");
        }
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("invalid digest '" + abbreviate(value) + "': expected algorithm:hex");
        }
        return new Digest(value.substring(0, colon), value.substring(colon + 1));
    }

    public static boolean isDigest(String value) {
        try {
            parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Digest sha256(byte[] content) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(content)));
    }

    public static MessageDigest newSha256() {
        return messageDigest("sha256");
    }

    /** A fresh {@link MessageDigest} for this digest's algorithm. */
    public MessageDigest newMessageDigest() {
        return messageDigest(algorithm);
    }

    public boolean matches(byte[] content) {
        return MessageDigest.isEqual(newMessageDigest().digest(content), HexFormat.of().parseHex(hex));
    }

    public byte[] bytes() {
        return HexFormat.of().parseHex(hex);
    }

    /** The form cosign uses for its tags: {@code sha256-<hex>}. */
    public String tagForm() {
        return algorithm + "-" + hex;
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    private static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT).replace("SHA", "SHA-"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
