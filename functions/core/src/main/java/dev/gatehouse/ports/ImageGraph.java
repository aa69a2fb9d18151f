package dev.gatehouse.ports;

import dev.gatehouse.oci.Digest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * Which images are built on which base images, for rebuilding dependents when a base changes.
 * Images are named by repository and digest; a base also by the tag the build resolved. To walk
 * the graph transitively, ask {@link #dependentsOfDigest} with each dependent found.
 */
public interface ImageGraph {

    record ImageRef(String repository, Digest digest) {
        public ImageRef {
            StoredKeys.repository(repository);
            Objects.requireNonNull(digest, "digest");
        }
    }

    /** The base an image was built from; {@code tag} is null when the build pinned only a digest. */
    record BaseRef(String repository, String tag, Digest digest) {
        public BaseRef {
            StoredKeys.repository(repository);
            if (tag != null) {
                StoredKeys.tag(tag);
            }
            Objects.requireNonNull(digest, "digest");
        }
    }

    /** "{@code image} is built on {@code base}", recorded at {@code recordedAt} (milliseconds). */
    record Edge(ImageRef image, BaseRef base, Instant recordedAt) {
        public Edge {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(base, "base");
            recordedAt = recordedAt.truncatedTo(ChronoUnit.MILLIS);
        }
    }

    /** Records an edge; recording the same image and base again only refreshes {@code recordedAt}. */
    void record(Edge edge);

    /** Edges to images built on {@code repository:tag} at any digest, ordered by base digest then image. */
    List<Edge> dependents(String baseRepository, String baseTag);

    /** Edges to images built on {@code repository@digest}, ordered by image repository then digest. */
    List<Edge> dependentsOfDigest(String baseRepository, Digest baseDigest);
}
