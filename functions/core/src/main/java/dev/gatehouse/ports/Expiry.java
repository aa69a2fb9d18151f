package dev.gatehouse.ports;

import java.time.Duration;
import java.time.Instant;

/**
 * Expiry in whole epoch seconds, the unit of DynamoDB's TTL attribute, so every implementation
 * of a port expires an entry at the same instant. An entry is live while {@code now} is before
 * its expiry second.
 */
public final class Expiry {

    private Expiry() {}

    /** The first epoch second at which an entry written at {@code now} with {@code ttl} is expired. */
    public static long epochSecond(Instant now, Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        Instant end = now.plus(ttl);
        return end.getNano() == 0 ? end.getEpochSecond() : end.getEpochSecond() + 1;
    }

    public static boolean isLive(long expiresAtEpochSecond, Instant now) {
        return now.getEpochSecond() < expiresAtEpochSecond;
    }
}
