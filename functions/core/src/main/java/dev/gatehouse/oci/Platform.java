package dev.gatehouse.oci;

import java.util.regex.Pattern;

/**
 * The platform of one entry of an image index ({@code linux/arm64/v8}). Variant and OS version are
 * null when absent.
 */
public record Platform(String os, String architecture, String variant, String osVersion) {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public Platform {
        if (os == null || os.isEmpty() || architecture == null || architecture.isEmpty()) {
            throw new IllegalArgumentException("a platform needs an os and an architecture");
        }
        if (variant != null && variant.isEmpty()) {
            variant = null;
        }
        if (osVersion != null && osVersion.isEmpty()) {
            osVersion = null;
        }
    }

    public static Platform of(String os, String architecture) {
        return new Platform(os, architecture, null, null);
    }

    /** Parses {@code os/arch[/variant]}, the form users type. */
    public static Platform parse(String value) {
        String[] parts = value == null ? new String[0] : value.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("invalid platform '" + value + "': expected os/architecture[/variant]");
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                throw new IllegalArgumentException("invalid platform '" + value + "': bad component '" + part + "'");
            }
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null, null);
    }

    /**
     * Whether an index entry with this platform satisfies a request for {@code wanted}: os and
     * architecture must be equal; a variant is compared only when the request names one.
     */
    public boolean satisfies(Platform wanted) {
        return os.equals(wanted.os) && architecture.equals(wanted.architecture)
                && (wanted.variant == null || wanted.variant.equals(variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
