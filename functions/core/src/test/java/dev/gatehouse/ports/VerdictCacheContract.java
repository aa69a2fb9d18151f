package dev.gatehouse.ports;

import static dev.gatehouse.ports.PortFixtures.randomDigest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.policy.Decision.Outcome;
import dev.gatehouse.ports.VerdictCache.Key;
import dev.gatehouse.ports.VerdictCache.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every VerdictCache does; subclasses supply the implementation under test. */
public abstract class VerdictCacheContract {

    protected final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00.500Z"));
    private VerdictCache cache;

    protected abstract VerdictCache newCache(TestClock clock);

    @BeforeEach
    void createCache() {
        cache = newCache(clock);
    }

    private static Key key() {
        return new Key("registry.example.com/team/app", randomDigest(), "rev-42", randomDigest(), "prod");
    }

    private Verdict verdict(Outcome outcome, String... reasons) {
        return new Verdict(outcome, List.of(reasons), clock.instant());
    }

    @Test
    void returnsTheVerdictThatWasPut() {
        Key key = key();
        Verdict verdict = verdict(Outcome.DENY, "unsigned image", "critical CVE-2026-0001");
        cache.put(key, verdict, Duration.ofMinutes(5));
        assertThat(cache.get(key)).contains(verdict);
    }

    @Test
    void keepsAVerdictWithoutReasons() {
        Key key = key();
        cache.put(key, verdict(Outcome.ALLOW), Duration.ofMinutes(5));
        assertThat(cache.get(key)).hasValueSatisfying(v -> assertThat(v.reasons()).isEmpty());
    }

    @Test
    void unknownKeyIsEmpty() {
        assertThat(cache.get(key())).isEmpty();
    }

    @Test
    void everyPartOfTheKeyMatters() {
        Key key = key();
        cache.put(key, verdict(Outcome.ALLOW), Duration.ofMinutes(5));
        assertThat(cache.get(new Key(key.repository(), key.image(), "rev-43", key.trustConfiguration(), key.namespace()))).isEmpty();
        assertThat(cache.get(new Key(key.repository(), key.image(), key.policyRevision(), randomDigest(), key.namespace()))).isEmpty();
        assertThat(cache.get(new Key(key.repository(), randomDigest(), key.policyRevision(), key.trustConfiguration(), key.namespace())))
                .isEmpty();
        assertThat(cache.get(new Key("registry.example.com/team/fork", key.image(), key.policyRevision(), key.trustConfiguration(),
                key.namespace()))).isEmpty();
        assertThat(cache.get(new Key(key.repository(), key.image(), key.policyRevision(), key.trustConfiguration(), "dev"))).isEmpty();
        assertThat(cache.get(new Key(key.repository(), key.image(), key.policyRevision(), key.trustConfiguration(), ""))).isEmpty();
    }

    @Test
    void expiredEntryIsNotReturnedEvenIfStillStored() {
        Key key = key();
        cache.put(key, verdict(Outcome.ALLOW), Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(60));
        assertThat(cache.get(key)).isPresent();
        clock.advance(Duration.ofMillis(500));
        assertThat(cache.get(key)).isEmpty();
    }

    @Test
    void putReplacesTheEarlierVerdictAndItsExpiry() {
        Key key = key();
        cache.put(key, verdict(Outcome.ALLOW), Duration.ofSeconds(10));
        Verdict later = verdict(Outcome.WARN, "base image is old");
        cache.put(key, later, Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(30));
        assertThat(cache.get(key)).contains(later);
    }

    @Test
    void refusesANonPositiveTtl() {
        assertThatThrownBy(() -> cache.put(key(), verdict(Outcome.ALLOW), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
