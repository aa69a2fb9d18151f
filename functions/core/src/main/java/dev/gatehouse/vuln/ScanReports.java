package dev.gatehouse.vuln;

import dev.gatehouse.io.JsonCursor;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;

/**
 * Reads a scanner report of any supported format: SARIF 2.1 (grype, trivy), Trivy JSON, Grype
 * JSON, CycloneDX with vulnerabilities, and the cosign vuln predicate (bare or in an in-toto
 * statement) wrapping any of these.
 */
public final class ScanReports {

    /** The largest report accepted. */
    public static final int MAX_BYTES = 64 * 1024 * 1024;
    static final String COSIGN_VULN_PREDICATE = "https://cosign.sigstore.dev/attestation/vuln/v1";
    private static final String ANY = "scan report";

    private ScanReports() {}

    public static ScanReport parse(byte[] content) throws MalformedInputException {
        var root = UntrustedJson.parse(content, ANY, MAX_BYTES);
        JsonCursor cursor = JsonCursor.root(root, ANY);
        if (!root.isObject()) {
            throw cursor.error("expected a JSON object");
        }
        if (CosignVulnParser.recognises(cursor)) {
            return CosignVulnParser.parse(relabel(cursor, ScanFormat.COSIGN_VULN));
        }
        ScanReport report = parseInner(cursor);
        if (report == null) {
            throw cursor.error("not SARIF 2.1, Trivy JSON, Grype JSON, CycloneDX or a cosign vuln predicate");
        }
        return report;
    }

    /** A report of one of the plain formats at the cursor, or null when none is recognised. */
    static ScanReport parseInner(JsonCursor c) throws MalformedInputException {
        var n = c.node();
        if (n.has("runs") && (n.path("version").asText("").startsWith("2.1") || n.path("$schema").asText("").contains("sarif"))) {
            return SarifParser.parse(relabel(c, ScanFormat.SARIF));
        }
        if ("CycloneDX".equals(n.path("bomFormat").asText(null))) {
            return CycloneDxScanParser.parse(relabel(c, ScanFormat.CYCLONEDX));
        }
        if (n.has("SchemaVersion") && (n.has("Results") || n.has("ArtifactName"))) {
            return TrivyJsonParser.parse(relabel(c, ScanFormat.TRIVY_JSON));
        }
        if (n.has("matches") && (n.has("source") || n.has("descriptor"))) {
            return GrypeJsonParser.parse(relabel(c, ScanFormat.GRYPE_JSON));
        }
        return null;
    }

    static JsonCursor relabel(JsonCursor c, ScanFormat format) {
        return new JsonCursor(format.displayName(), c.node(), c.pointer());
    }
}
