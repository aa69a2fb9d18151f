package dev.gatehouse.rebuild;

import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.ports.StoredKeys;
import java.util.Objects;

/**
 * An image Gatehouse knows how to rebuild: pushed to {@code repository:tag}, built on the base
 * tag {@code base} by {@code definition}.
 *
 * @param repository the repository with its registry host, as the image graph names it
 */
public record RebuildTarget(String repository, String tag, ImageReference base, BuildDefinition definition) {

    public RebuildTarget {
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
