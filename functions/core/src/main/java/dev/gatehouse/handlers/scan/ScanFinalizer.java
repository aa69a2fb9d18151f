package dev.gatehouse.handlers.scan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a scan's summary JSON, its history entry and its HTML page from the plan and the batch
 * records. Running it twice (two workers finishing together, a batch delivered again) writes the
 * same report again.
 */
public final class ScanFinalizer {

    private static final long MAX_RECORD_BYTES = 64L * 1024 * 1024;

    private final BlobStore blobs;
    private final Clock clock;
    private final Consumer<String> log;

    public ScanFinalizer(BlobStore blobs, Clock clock, Consumer<String> log) {
        this.blobs = blobs;
        this.clock = clock;
        this.log = log;
    }

    public ScanSummary finish(String scanId) {
        String planKey = ScanKeys.plan(scanId);
        ScanPlan plan;
        try {
            plan = ScanPlan.fromJson(read(planKey));
        } catch (MalformedInputException e) {
            throw new StoreException("BlobStore.get", planKey + ": " + e.getMessage(), e);
        }
        List<String> keys = blobs.list(ScanKeys.batches(scanId), plan.batches() + 1);
        List<ImageResult> results = new ArrayList<>();
        int listenerFailures = 0;
        for (String key : keys) {
            JsonNode record = read(key);
            listenerFailures += record.path("listener_failures").asInt(0);
            for (JsonNode r : record.path("results")) {
                results.add(ImageResult.fromJson(r));
            }
        }
        ScanSummary summary = new ScanSummary(plan, clock.instant(), keys.size(), listenerFailures, ScanSummary.distinct(results));
        ScanHistory.Point point = summary.historyPoint();
        List<ScanHistory.Point> history = ScanHistory.upTo(blobs, point, log);
        blobs.put(ScanKeys.summary(scanId), summary.toJson().toPrettyString().getBytes(StandardCharsets.UTF_8));
        blobs.put(ScanKeys.html(scanId), ScanReportPage.render(summary, history).getBytes(StandardCharsets.UTF_8));
        ScanHistory.record(blobs, point);
        log.accept("scan " + scanId + " summarised: " + summary.results().size() + " images, " + summary.decisions());
        return summary;
    }

    private JsonNode read(String key) {
        byte[] bytes = blobs.get(key, MAX_RECORD_BYTES)
                .orElseThrow(() -> new StoreException("BlobStore.get", "scan record '" + key + "' is missing"));
        try {
            return UntrustedJson.parseObject(bytes, "scan record " + key);
        } catch (MalformedInputException e) {
            throw new StoreException("BlobStore.get", e.getMessage(), e);
        }
    }
}
