package dev.gatehouse.handlers.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.ImageEnumerator.Unlisted;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the planner enqueued for one scan: how many images in how many batches, what it skipped
 * (attachments, untagged manifests) and what it could not list. Kept as {@code plan.json} so the
 * worker that finishes last can write the summary.
 */
public record ScanPlan(String scanId, String source, Instant startedAt, int images, int batches, int skippedAttachments,
                       int skippedUntagged, List<Unlisted> unlisted, boolean truncated) {

    public static final String SCHEMA = "https://gatehouse.dev/schemas/scan-plan/v1";
    private static final String FORMAT = "scan plan";

    public ScanPlan {
        ScanId.check(scanId);
        unlisted = List.copyOf(unlisted);
    }

    public String reportPrefix() {
        return ScanKeys.prefix(scanId);
    }

    public String summaryKey() {
        return ScanKeys.summary(scanId);
    }

    public String htmlKey() {
        return ScanKeys.html(scanId);
    }

    ObjectNode toJson() {
        ObjectNode n = UntrustedJson.mapper().createObjectNode();
        n.put("schema", SCHEMA);
        n.put("scan_id", scanId);
        n.put("source", source);
        n.put("started_at", startedAt.toString());
        n.put("images", images);
        n.put("batches", batches);
        n.put("skipped_attachments", skippedAttachments);
        n.put("skipped_untagged", skippedUntagged);
        n.put("truncated", truncated);
        ArrayNode list = n.putArray("unlisted");
        for (Unlisted u : unlisted) {
            ObjectNode e = list.addObject();
            e.put("registry", u.registry());
            e.put("repository", u.repository());
            if (u.tag() != null) {
                e.put("tag", u.tag());
            }
            e.put("problem", u.problem());
        }
        return n;
    }

    /**
     * Reads what {@link #toJson()} wrote. The counts are required: a plan read as zero batches would
     * make any scan look complete.
     */
    static ScanPlan fromJson(JsonNode n) throws MalformedInputException {
        if (!SCHEMA.equals(n.path("schema").asText())) {
            throw new MalformedInputException(FORMAT, "/schema", "expected " + SCHEMA);
        }
        List<Unlisted> unlisted = new ArrayList<>();
        try {
            for (JsonNode e : n.path("unlisted")) {
                unlisted.add(new Unlisted(e.path("registry").asText(), e.path("repository").asText(),
                        e.hasNonNull("tag") ? e.path("tag").asText() : null, e.path("problem").asText()));
            }
            return new ScanPlan(n.path("scan_id").asText(), n.path("source").asText(), Instant.parse(n.path("started_at").asText()),
                    count(n, "images"), count(n, "batches"), count(n, "skipped_attachments"), count(n, "skipped_untagged"), unlisted,
                    n.path("truncated").asBoolean());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new MalformedInputException(FORMAT, "", e.getMessage());
        }
    }

    private static int count(JsonNode n, String field) throws MalformedInputException {
        JsonNode value = n.path(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw new MalformedInputException(FORMAT, "/" + field, "expected a non-negative integer");
        }
        return value.intValue();
    }
}
