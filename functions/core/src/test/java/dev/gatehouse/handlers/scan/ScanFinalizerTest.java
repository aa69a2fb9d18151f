package dev.gatehouse.handlers.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.local.InMemoryBlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanFinalizerTest {

    static final String SCAN = "20261127T040000Z-0123abcd";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T04:10:00Z"), ZoneOffset.UTC);

    @Test
    void aPlanWithoutItsBatchCountIsAnErrorNotACompleteScan() {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        ObjectNode plan = new ScanPlan(SCAN, "registry.test", CLOCK.instant(), 20, 2, 0, 0, List.of(), false).toJson();
        plan.remove("batches");
        blobs.put(ScanKeys.plan(SCAN), plan.toString().getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new ScanFinalizer(blobs, CLOCK, line -> { }).finish(SCAN))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(ScanKeys.plan(SCAN))
                .hasMessageContaining("/batches")
                .hasMessageContaining("expected a non-negative integer");
        assertThat(blobs.get(ScanKeys.summary(SCAN), 1024)).isEmpty();
    }

    @Test
    void aPlanReadsBackAsItWasWritten() throws Exception {
        ScanPlan plan = new ScanPlan(SCAN, "registry.test", CLOCK.instant(), 20, 2, 3, 1, List.of(), true);
        assertThat(ScanPlan.fromJson(plan.toJson())).isEqualTo(plan);
    }
}
