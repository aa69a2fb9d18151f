package dev.gatehouse.ports;

import dev.gatehouse.oci.Digest;
import java.util.List;
import java.util.Objects;

/**
 * Lists the images a registry holds, for compliance scans: a registry's {@code /v2/_catalog} and
 * tag lists, or Amazon ECR's DescribeRepositories and DescribeImages. Implementations report every
 * tag they see, attachment tags included; the scan planner decides what counts as an image.
 */
public interface ImageEnumerator {

    /**
     * What to list: the named repositories, or every repository when {@code repositories} is empty;
     * at most {@code maxImages} images (the listing is then marked truncated).
     */
    record Scope(List<String> repositories, int maxImages) {
        public Scope {
            repositories = List.copyOf(repositories);
            if (maxImages < 1) {
                throw new IllegalArgumentException("maxImages must be positive, got " + maxImages);
            }
        }

        public static Scope everything(int maxImages) {
            return new Scope(List.of(), maxImages);
        }
    }

    /** One manifest or index in a repository with the tags that point at it (possibly none). */
    record ListedImage(String registry, String repository, Digest digest, List<String> tags) {
        public ListedImage {
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(digest, "digest");
            tags = List.copyOf(tags);
        }
    }

    /**
     * Something that could not be listed: a repository whose tags or images could not be read, or a
     * tag that did not resolve ({@code tag} null for a whole repository). A scan reports these as
     * errors; they are never silently left out.
     */
    record Unlisted(String registry, String repository, String tag, String problem) {
        public Unlisted {
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(problem, "problem");
        }
    }

    record Listing(List<ListedImage> images, List<Unlisted> unlisted, boolean truncated) {
        public Listing {
            images = List.copyOf(images);
            unlisted = List.copyOf(unlisted);
        }
    }

    /** A label for reports: the registry host, {@code ecr:<account>/<region>}... */
    String source();

    /** Lists the images in {@code scope}; fails only when nothing could be listed at all. */
    Listing list(Scope scope) throws EnumerationException;

    /** The listing failed as a whole (the catalog or the repository list could not be read). */
    final class EnumerationException extends Exception {
        public EnumerationException(String message, Throwable cause) {
            super(message, cause);
        }

        public EnumerationException(String message) {
            super(message);
        }
    }
}
