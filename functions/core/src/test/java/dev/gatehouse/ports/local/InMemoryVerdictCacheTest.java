package dev.gatehouse.ports.local;

import static dev.gatehouse.ports.PortFixtures.randomDigest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.policy.Decision.Outcome;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.ports.VerdictCache.Key;
import dev.gatehouse.ports.VerdictCache.Verdict;
import dev.gatehouse.ports.VerdictCacheContract;
import dev.gatehouse.ports.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryVerdictCacheTest extends VerdictCacheContract {

    @Override
    protected VerdictCache newCache(TestClock clock) {
        return new InMemoryVerdictCache(clock);
    }

    private static Key key() {
        return new Key("registry.example.com/team/app", randomDigest(), "rev-42", randomDigest(), "prod");
    }

    @Test
    void aFullCacheDropsItsExpiredVerdictsFirst() {
        InMemoryVerdictCache cache = new InMemoryVerdictCache(clock, 4);
        Verdict allow = new Verdict(Outcome.ALLOW, List.of(), clock.instant());
        Key live = key();
        cache.put(live, allow, Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            cache.put(key(), allow, Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofMinutes(2));
        Key added = key();
        cache.put(added, allow, Duration.ofHours(1));
        assertThat(cache.get(live)).contains(allow);
        assertThat(cache.get(added)).contains(allow);
    }

    @Test
    void aCacheFullOfLiveVerdictsStartsOverInsteadOfGrowing() {
        InMemoryVerdictCache cache = new InMemoryVerdictCache(clock, 4);
        Verdict allow = new Verdict(Outcome.ALLOW, List.of(), clock.instant());
        List<Key> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            first.add(key());
            cache.put(first.get(i), allow, Duration.ofHours(1));
        }
        Key fifth = key();
        cache.put(fifth, allow, Duration.ofHours(1));
        assertThat(cache.get(fifth)).contains(allow);
        assertThat(first).allSatisfy(k -> assertThat(cache.get(k)).isEmpty());
    }
}
