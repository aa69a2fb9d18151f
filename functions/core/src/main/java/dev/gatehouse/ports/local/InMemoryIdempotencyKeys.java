package dev.gatehouse.ports.local;

import dev.gatehouse.ports.Expiry;
import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.ports.StoredKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Idempotency claims in process memory; an expired claim can be claimed again. */
public final class InMemoryIdempotencyKeys implements IdempotencyKeys {

    private final Map<String, Long> claims = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryIdempotencyKeys(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean claim(String key, Duration ttl) {
        StoredKeys.token("idempotency key", key);
        Instant now = clock.instant();
        long expiresAt = Expiry.epochSecond(now, ttl);
        boolean[] won = {false};
        claims.compute(key, (k, existing) -> {
            if (existing != null && Expiry.isLive(existing, now)) {
                return existing;
            }
            won[0] = true;
            return expiresAt;
        });
        return won[0];
    }

    @Override
    public void release(String key) {
        StoredKeys.token("idempotency key", key);
        claims.remove(key);
    }
}
