package dev.gatehouse.handlers.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.ports.ImageEnumerator.ListedImage;
import dev.gatehouse.ports.StoredKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One work-queue message of a scan: batch {@code batch} (0-based) of {@code batches}, with the
 * images it verifies. The body is JSON; what arrives from the queue is checked field by field.
 */
public record ScanBatch(String scanId, int batch, int batches, List<ListedImage> images) {

    public static final String SCHEMA = "https://gatehouse.dev/schemas/scan-batch/v1";
    /** Keeps a message far below the queue's 256 KiB and a batch within one worker invocation. */
    public static final int MAX_IMAGES = 100;
    private static final int MAX_TAGS_PER_IMAGE = 50;
    private static final String FORMAT = "scan batch message";

    public ScanBatch {
        ScanId.check(scanId);
        if (batches < 1 || batch < 0 || batch >= batches) {
            throw new IllegalArgumentException("batch " + batch + " of " + batches + " is out of range");
        }
        images = List.copyOf(images);
        if (images.isEmpty() || images.size() > MAX_IMAGES) {
            throw new IllegalArgumentException("a scan batch holds 1 to " + MAX_IMAGES + " images, got " + images.size());
        }
    }

    public String toJson() {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("schema", SCHEMA);
        root.put("scan_id", scanId);
        root.put("batch", batch);
        root.put("batches", batches);
        ArrayNode list = root.putArray("images");
        for (ListedImage image : images) {
            ObjectNode n = list.addObject();
            n.put("registry", image.registry());
            n.put("repository", image.repository());
            n.put("digest", image.digest().toString());
            ArrayNode tags = n.putArray("tags");
            image.tags().stream().limit(MAX_TAGS_PER_IMAGE).forEach(tags::add);
        }
        return root.toString();
    }

    /** Reads a message body; anything out of shape is a {@link MalformedInputException} naming the field. */
    public static ScanBatch parse(String body) throws MalformedInputException {
        JsonNode root = UntrustedJson.parseObject(body.getBytes(StandardCharsets.UTF_8), FORMAT);
        if (!SCHEMA.equals(root.path("schema").asText())) {
            throw new MalformedInputException(FORMAT, "/schema", "expected " + SCHEMA);
        }
        try {
            List<ListedImage> images = new ArrayList<>();
            JsonNode list = root.path("images");
            if (!list.isArray()) {
                throw new MalformedInputException(FORMAT, "/images", "expected an array");
            }
            int i = 0;
            for (JsonNode n : list) {
                String at = "/images/" + i++;
                String registry = text(n, "registry", at);
                String repository = text(n, "repository", at);
                String digest = text(n, "digest", at);
                List<String> tags = new ArrayList<>();
                n.path("tags").forEach(t -> tags.add(t.asText()));
                if (tags.size() > MAX_TAGS_PER_IMAGE) {
                    throw new MalformedInputException(FORMAT, at + "/tags", "more than " + MAX_TAGS_PER_IMAGE + " tags");
                }
                try {
                    images.add(check(new ListedImage(registry, repository, Digest.parse(digest), tags)));
                } catch (IllegalArgumentException e) {
                    throw new MalformedInputException(FORMAT, at, e.getMessage());
                }
            }
            if (!root.path("batch").canConvertToInt() || !root.path("batches").canConvertToInt()) {
                throw new MalformedInputException(FORMAT, "/batch", "expected integers batch and batches");
            }
            return new ScanBatch(text(root, "scan_id", ""), root.path("batch").intValue(), root.path("batches").intValue(), images);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(FORMAT, "", e.getMessage());
        }
    }

    /**
     * Returns {@code image} if a worker can take it: its names become a registry reference and blob
     * keys. The planner checks each image with this before enqueueing it, so a message it sends is
     * never one the worker rejects (and the queue would deliver again and again).
     */
    static ListedImage check(ListedImage image) {
        StoredKeys.repository(image.repository());
        ImageReference.parse(image.registry() + "/" + image.repository());
        image.tags().forEach(StoredKeys::tag);
        return image;
    }

    private static String text(JsonNode node, String field, String at) throws MalformedInputException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new MalformedInputException(FORMAT, at + "/" + field, "expected a non-empty string");
        }
        return value.textValue();
    }
}
