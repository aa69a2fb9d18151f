package dev.gatehouse.vuln;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gatehouse.io.UntrustedJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A parsed scanner report: its findings, the image it is about, and the document itself so it can
 * be written back in its own format without some findings.
 *
 * @param format the report format
 * @param root the document (never modified)
 * @param findings the findings in document order
 * @param subject the scanned image, or null when the report does not name one
 * @param serialNumber the CycloneDX serial number, or null
 * @param bomVersion the CycloneDX document version (1 when absent)
 * @param graph the dependency graph the report carries, or null
 */
public record ScanReport(
        ScanFormat format, JsonNode root, List<ScannedFinding> findings, ScanSubject subject, String serialNumber, int bomVersion,
        ComponentGraph graph) {

    public ScanReport {
        findings = List.copyOf(findings);
    }

    /** The report without the given findings, in its own format (pretty-printed JSON). */
    public byte[] without(Collection<ScannedFinding> removed) {
        JsonNode copy = root.deepCopy();
        Map<String, TreeSet<Integer>> byContainer = new LinkedHashMap<>();
        Map<String, TreeSet<Integer>> owners = new LinkedHashMap<>();
        for (ScannedFinding f : removed) {
            byContainer.computeIfAbsent(f.container(), k -> new TreeSet<>(Comparator.reverseOrder())).add(f.index());
        }
        for (var e : byContainer.entrySet()) {
            ArrayNode array = (ArrayNode) copy.at(JsonPointer.compile(e.getKey()));
            for (int index : e.getValue()) {
                array.remove(index);
            }
        }
        for (ScannedFinding f : removed) {
            if (f.ownerContainer() != null && copy.at(JsonPointer.compile(f.container())).isEmpty()) {
                owners.computeIfAbsent(f.ownerContainer(), k -> new TreeSet<>(Comparator.reverseOrder())).add(f.ownerIndex());
            }
        }
        for (var e : owners.entrySet()) {
            ArrayNode array = (ArrayNode) copy.at(JsonPointer.compile(e.getKey()));
            for (int index : e.getValue()) {
                array.remove(index);
            }
        }
        try {
            return UntrustedJson.mapper().writer().with(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(copy).concat("\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written", e);
        }
    }

    /** The findings only, for callers that do not need the document. */
    public List<Finding> plainFindings() {
        List<Finding> out = new ArrayList<>(findings.size());
        for (ScannedFinding f : findings) {
            out.add(f.finding());
        }
        return out;
    }
}
