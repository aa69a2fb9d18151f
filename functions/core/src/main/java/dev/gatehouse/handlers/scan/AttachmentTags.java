package dev.gatehouse.handlers.scan;

import dev.gatehouse.oci.CosignTag;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Tags that name something attached to an image rather than an image: cosign's
 * {@code sha256-<hex>.sig}, {@code .att} and {@code .sbom} (every {@link CosignTag}), and the
 * {@code sha256-<hex>} referrers fallback tag of OCI 1.1. A scan verifies the image they are
 * attached to, never them.
 */
public final class AttachmentTags {

    private static final Pattern ATTACHMENT = Pattern.compile("(?:sha256-[0-9a-f]{64}|sha512-[0-9a-f]{128})(?:\\.(?:"
            + Arrays.stream(CosignTag.values()).map(CosignTag::suffix).collect(Collectors.joining("|")) + "))?");

    private AttachmentTags() {}

    public static boolean isAttachment(String tag) {
        return tag != null && ATTACHMENT.matcher(tag).matches();
    }
}
