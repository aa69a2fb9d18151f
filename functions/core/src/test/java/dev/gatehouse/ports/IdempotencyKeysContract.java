package dev.gatehouse.ports;

import static dev.gatehouse.ports.PortFixtures.randomToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every IdempotencyKeys does; subclasses supply the implementation under test. */
public abstract class IdempotencyKeysContract {

    protected final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
    private IdempotencyKeys keys;

    protected abstract IdempotencyKeys newKeys(TestClock clock);

    @BeforeEach
    void createKeys() {
        keys = newKeys(clock);
    }

    @Test
    void onlyTheFirstClaimerWins() {
        String key = randomToken("push:sha256");
        assertThat(keys.claim(key, Duration.ofMinutes(5))).isTrue();
        assertThat(keys.claim(key, Duration.ofMinutes(5))).isFalse();
        assertThat(keys.claim(randomToken("push"), Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void releasedKeyCanBeClaimedAgain() {
        String key = randomToken("event");
        assertThat(keys.claim(key, Duration.ofMinutes(5))).isTrue();
        keys.release(key);
        assertThat(keys.claim(key, Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void releasingAnUnclaimedKeyIsHarmless() {
        keys.release(randomToken("never-claimed"));
    }

    @Test
    void expiredClaimCanBeClaimedAgain() {
        String key = randomToken("event");
        assertThat(keys.claim(key, Duration.ofSeconds(30))).isTrue();
        clock.advance(Duration.ofSeconds(29));
        assertThat(keys.claim(key, Duration.ofSeconds(30))).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(keys.claim(key, Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void exactlyOneOfManyConcurrentClaimersWins() throws Exception {
        String key = randomToken("event");
        int claimers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return keys.claim(key, Duration.ofMinutes(1));
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesKeysThatAreNotTokens() {
        assertThatThrownBy(() -> keys.claim("has space", Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.claim("", Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
