package dev.gatehouse.rebuild;

import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.ports.StoredKeys;
import java.util.Objects;

/**
 * An image Gatehouse knows how to rebuild: pushed to {@code repository:tag}, built on the base
 * tag {@code base} by {@code definition}.
 *
 * @param repository the repository with its registry host, as the image graph names it
 * @param source where the build definition lives (a URI such as
 *     {@code git+https://github.com/acme/images@refs/heads/main}), as the rebuild's provenance names
 *     it; null when the catalog does not say
 */
public record RebuildTarget(String repository, String tag, ImageReference base, BuildDefinition definition, String source) {

    public RebuildTarget(String repository, String tag, ImageReference base, BuildDefinition definition) {
        this(repository, tag, base, definition, null);
    }

    public RebuildTarget {
        if (source != null && (source.isBlank() || source.length() > 2048 || source.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("target " + repository + ": source must be a URI of at most 2048 characters");
        }
        StoredKeys.repository(repository);
        StoredKeys.tag(tag);
        Objects.requireNonNull(base, "base");
        if (base.isLayout() || base.tag() == null || base.digest() != null) {
            throw new IllegalArgumentException("target " + repository + ": base '" + base
                    + "' must be a registry tag (a rebuild follows the tag; the digest comes from the push)");
        }
        Objects.requireNonNull(definition, "definition");
    }

    /** {@code repository:tag}. */
    public String reference() {
        return repository + ":" + tag;
    }
}
