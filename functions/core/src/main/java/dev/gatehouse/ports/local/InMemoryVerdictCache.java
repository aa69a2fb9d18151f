package dev.gatehouse.ports.local;

import dev.gatehouse.ports.Expiry;
import dev.gatehouse.ports.VerdictCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A verdict cache in process memory; expired entries are dropped when read, and all of them when
 * the cache is full. It holds at most {@link #MAX_ENTRIES} verdicts, however many digests and
 * namespaces a long-running process is asked about: when it is full of live verdicts it starts
 * over, which costs verifications, never a verdict.
 */
public final class InMemoryVerdictCache implements VerdictCache {

    public static final int MAX_ENTRIES = 100_000;

    private record Entry(Verdict verdict, long expiresAtEpochSecond) {}

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxEntries;

    public InMemoryVerdictCache(Clock clock) {
        this(clock, MAX_ENTRIES);
    }

    InMemoryVerdictCache(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    @Override
    public Optional<Verdict> get(Key key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!Expiry.isLive(entry.expiresAtEpochSecond(), clock.instant())) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.verdict());
    }

    @Override
    public void put(Key key, Verdict verdict, Duration ttl) {
        if (entries.size() >= maxEntries) {
            Instant now = clock.instant();
            entries.values().removeIf(e -> !Expiry.isLive(e.expiresAtEpochSecond(), now));
            // Mostly live verdicts: start over, so the next sweep is at least maxEntries / 2 puts away.
            if (entries.size() > maxEntries / 2) {
                entries.clear();
            }
        }
        entries.put(key, new Entry(verdict, Expiry.epochSecond(clock.instant(), ttl)));
    }
}
