package dev.gatehouse.ports;

import java.time.Duration;

/**
 * Claims on event keys, so events delivered at least once (SQS, EventBridge, registry webhooks)
 * are processed once: only the first claimer of a key gets {@code true} until the claim expires
 * or is released. Keys are opaque tokens such as {@code push:<digest>}.
 */
public interface IdempotencyKeys {

    /** Claims {@code key} for {@code ttl} (whole seconds, rounded up); true only for the first live claim. */
    boolean claim(String key, Duration ttl);

    /** Gives up a claim after a failure, so a redelivery of the event can claim it again. */
    void release(String key);
}
