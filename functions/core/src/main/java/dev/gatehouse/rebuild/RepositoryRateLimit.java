package dev.gatehouse.rebuild;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.IdempotencyKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * At most {@code builds} rebuilds started per repository in each fixed window, counted with
 * claims on the idempotency store (one key per slot), so every function instance shares the same
 * count without another table.
 */
public final class RepositoryRateLimit {

    private final IdempotencyKeys keys;
    private final int builds;
    private final Duration window;
    private final Clock clock;

    public RepositoryRateLimit(IdempotencyKeys keys, int builds, Duration window, Clock clock) {
        this.keys = keys;
        this.builds = builds;
        this.window = window;
        this.clock = clock;
    }

    /** Takes a slot for one build of {@code repository}; false when the window's slots are all taken. */
    public boolean tryAcquire(String repository) {
        long windowIndex = clock.millis() / window.toMillis();
        String prefix = "rebuild-rate:" + Digest.sha256(repository.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 32) + ":" + windowIndex + ":";
        for (int slot = 0; slot < builds; slot++) {
            if (keys.claim(prefix + slot, window)) {
                return true;
            }
        }
        return false;
    }
}
