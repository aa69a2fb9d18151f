package dev.gatehouse.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SharedSecretTest {

    final SharedSecret secret = SharedSecret.of("correct-horse-battery-staple\n");

    @Test
    void acceptsOnlyTheBearerSecret() {
        assertThat(secret.accepts("Bearer correct-horse-battery-staple")).isTrue();
        assertThat(secret.accepts("bearer correct-horse-battery-staple")).isTrue();
        assertThat(secret.accepts("Bearer correct-horse-battery-stapl")).isFalse();
        assertThat(secret.accepts("Basic correct-horse-battery-staple")).isFalse();
        assertThat(secret.accepts("correct-horse-battery-staple")).isFalse();
        assertThat(secret.accepts("Bearer ")).isFalse();
        assertThat(secret.accepts(null)).isFalse();
    }

    @Test
    void acceptsTheSecretAsBearerTokenOrAsTheUrlsLastPathSegment() {
        assertThat(secret.accepts(null, "correct-horse-battery-staple")).isTrue();
        assertThat(secret.accepts("Bearer correct-horse-battery-staple", null)).isTrue();
        assertThat(secret.accepts("Bearer wrong", "correct-horse-battery-staple")).isTrue();
        assertThat(secret.accepts(null, "correct-horse-battery-stapl")).isFalse();
        assertThat(secret.accepts(null, "correct-horse-battery-staple%0A")).isFalse();
        assertThat(secret.accepts(null, "")).isFalse();
        assertThat(secret.accepts(null, null)).isFalse();
        assertThat(secret.accepts("Bearer correct-horse", "battery-staple")).isFalse();
    }

    @Test
    void refusesShortSecretsAndNeverPrintsTheSecret() {
        assertThatThrownBy(() -> SharedSecret.of("short")).isInstanceOf(IllegalArgumentException.class);
        assertThat(secret.toString()).doesNotContain("horse");
    }
}
