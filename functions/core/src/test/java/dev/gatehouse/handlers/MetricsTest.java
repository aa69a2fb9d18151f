package dev.gatehouse.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.UntrustedJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    final List<String> lines = new ArrayList<>();
    final Metrics metrics = new Metrics("Gatehouse", Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC), lines::add);

    @Test
    void writesOneEmbeddedMetricFormatLinePerEmission() throws Exception {
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("Function", "registry-push");
        dimensions.put("Outcome", "deny");
        metrics.emit(dimensions, List.of(Metrics.Value.count("Verifications"), Metrics.Value.millis("VerificationLatency", 412)));

        assertThat(lines).hasSize(1);
        JsonNode line = UntrustedJson.parse(lines.get(0).getBytes(StandardCharsets.UTF_8), "emf");
        assertThat(line.at("/_aws/Timestamp").asLong()).isEqualTo(Instant.parse("2026-11-27T00:00:00Z").toEpochMilli());
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("Gatehouse");
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"Function\",\"Outcome\"]]");
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Metrics").toString())
                .isEqualTo("[{\"Name\":\"Verifications\",\"Unit\":\"Count\"},{\"Name\":\"VerificationLatency\",\"Unit\":\"Milliseconds\"}]");
        assertThat(line.get("Function").asText()).isEqualTo("registry-push");
        assertThat(line.get("Outcome").asText()).isEqualTo("deny");
        assertThat(line.get("Verifications").asLong()).isEqualTo(1);
        assertThat(line.get("VerificationLatency").asLong()).isEqualTo(412);
    }

    @Test
    void refusesAMetricNamedLikeADimension() {
        assertThatThrownBy(() -> metrics.emit(Map.of("Outcome", "allow"), List.of(Metrics.Value.count("Outcome"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("collides");
    }

    @Test
    void refusesNamesCloudWatchWouldReject() {
        assertThatThrownBy(() -> Metrics.Value.count("has space")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.emit(Map.of("a\"b", "x"), List.of(Metrics.Value.count("n"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
