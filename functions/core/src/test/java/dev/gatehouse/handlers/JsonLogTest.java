package dev.gatehouse.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogTest {

    @Test
    void writesOneJsonObjectPerLineWithBoundFieldsFirst() {
        List<String> lines = new ArrayList<>();
        JsonLog log = new JsonLog(lines::add, Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC))
                .with("request_id", "r-1");

        log.info("verified", Map.of("digest", "sha256:ab", "millis", 12L, "cached", false));

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("{\"time\":\"2026-11-27T00:00:00Z\",\"level\":\"INFO\",\"message\":\"verified\",\"request_id\":\"r-1\"")
                .contains("\"millis\":12").contains("\"cached\":false").contains("\"digest\":\"sha256:ab\"").doesNotContain("\n");
    }
}
