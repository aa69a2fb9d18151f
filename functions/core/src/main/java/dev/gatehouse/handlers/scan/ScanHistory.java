package dev.gatehouse.handlers.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.BlobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The counts of earlier scans, one small blob per scan under {@code reports/history/}, for trend charts. */
public final class ScanHistory {

    /** How many scans the trend charts show. */
    public static final int POINTS = 30;
    private static final int MAX_POINT_BYTES = 64 * 1024;
    private static final int MAX_LISTED = 100_000;

    private ScanHistory() {}

    public record Point(String scanId, Instant startedAt, Map<String, Integer> cvesBySeverity, int slaBreaches, int images,
                        int denied, int errors) {

        public Point {
            cvesBySeverity = Map.copyOf(cvesBySeverity);
        }

        ObjectNode toJson() {
            ObjectNode n = UntrustedJson.mapper().createObjectNode();
            n.put("scan_id", scanId);
            n.put("started_at", startedAt.toString());
            ObjectNode cves = n.putObject("cves_by_severity");
            ScanSummary.SEVERITIES.forEach(s -> cves.put(s, cvesBySeverity.getOrDefault(s, 0)));
            n.put("sla_breaches", slaBreaches);
            n.put("images", images);
            n.put("denied", denied);
            n.put("errors", errors);
            return n;
        }

        static Point fromJson(JsonNode n) {
            Map<String, Integer> cves = new LinkedHashMap<>();
            ScanSummary.SEVERITIES.forEach(s -> cves.put(s, Math.max(0, n.path("cves_by_severity").path(s).asInt(0))));
            return new Point(ScanId.check(n.path("scan_id").asText()), Instant.parse(n.path("started_at").asText()), cves,
                    n.path("sla_breaches").asInt(0), n.path("images").asInt(0), n.path("denied").asInt(0), n.path("errors").asInt(0));
        }
    }

    public static void record(BlobStore blobs, Point point) {
        blobs.put(ScanKeys.history(point.scanId()), point.toJson().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The last {@link #POINTS} scans up to and including {@code current}, oldest first. A history
     * entry that cannot be read is left out of the chart and logged.
     */
    public static List<Point> upTo(BlobStore blobs, Point current, Consumer<String> log) {
        List<String> keys = blobs.list(ScanKeys.HISTORY, MAX_LISTED).stream()
                .filter(k -> k.compareTo(ScanKeys.history(current.scanId())) < 0)
                .toList();
        List<Point> points = new ArrayList<>();
        for (String key : keys.subList(Math.max(0, keys.size() - (POINTS - 1)), keys.size())) {
            try {
                Optional<byte[]> blob = blobs.get(key, MAX_POINT_BYTES);
                if (blob.isPresent()) {
                    points.add(Point.fromJson(UntrustedJson.parseObject(blob.get(), "scan history entry")));
                }
            } catch (MalformedInputException | RuntimeException e) {
                log.accept("scan history " + key + " skipped: " + e.getMessage());
            }
        }
        points.add(current);
        return points;
    }
}
