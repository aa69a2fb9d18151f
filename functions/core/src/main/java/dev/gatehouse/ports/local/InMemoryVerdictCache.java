package dev.gatehouse.ports.local;

import dev.gatehouse.ports.Expiry;
import dev.gatehouse.ports.VerdictCache;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A verdict cache in process memory; expired entries are dropped when read. */
public final class InMemoryVerdictCache implements VerdictCache {

    private record Entry(Verdict verdict, long expiresAtEpochSecond) {}

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryVerdictCache(Clock clock) {
        this.clock = clock;
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
        entries.put(key, new Entry(verdict, Expiry.epochSecond(clock.instant(), ttl)));
    }
}
