package dev.gatehouse.handlers.push;

import dev.gatehouse.oci.Digest;
import java.time.Instant;
import java.util.Objects;

/**
 * One successful push of a manifest or index, as a registry reported it.
 *
 * @param registry  registry host as references name it ({@code 123456789012.dkr.ecr.us-west-2.amazonaws.com},
 *                  {@code registry.local:5000})
 * @param tag       the tag the push set, or null for a push by digest
 * @param mediaType the manifest's media type, or null when the registry did not say (ECR often omits it)
 * @param eventId   the registry's event id (for logs and tracing; registries may redeliver the same id)
 * @param time      when the registry says the push happened, or null when it did not say
 */
public record PushEvent(String registry, String repository, Digest digest, String tag, String mediaType,
                        String eventId, Instant time, EventSource source) {

    public PushEvent {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(source, "source");
    }

    /**
     * What the pipeline deduplicates on: the content pushed, not the name it was pushed under. The
     * verdict belongs to the digest, so pushing one digest under three tags (or moving a tag back
     * and forth) needs one verification, and a redelivered event (registries retry until they get
     * a 2xx, EventBridge delivers at least once) is recognised as the same work. The tag stays in
     * the record for reports.
     */
    public IdempotencyKey idempotencyKey() {
        return new IdempotencyKey(registry, repository, digest);
    }

    /** {@code registry/repository@digest}. */
    public String reference() {
        return registry + "/" + repository + "@" + digest;
    }

    /** The deduplication key of a push: (registry, repository, digest). */
    public record IdempotencyKey(String registry, String repository, Digest digest) {

        /** The key as one string, {@code registry/repository@digest}, for a key-value store. */
        public String value() {
            return registry + "/" + repository + "@" + digest;
        }
    }
}
