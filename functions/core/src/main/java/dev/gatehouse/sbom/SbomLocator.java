package dev.gatehouse.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Finds the SBOM in a byte stream: a CycloneDX or SPDX JSON document, an in-toto statement whose
 * predicate is one, or a DSSE envelope around such a statement. The format is decided by the
 * document's own marker, never by a file name. The DSSE signature is not checked here; that is
 * the attestation verifier's job.
 */
final class SbomLocator {

    static final String DSSE_FORMAT = "DSSE envelope";
    static final String STATEMENT_FORMAT = "in-toto statement";
    static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
    private static final int SNIFF_BYTES = 64 * 1024;

    private final int maxBytes;

    SbomLocator(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    SbomDocument locate(byte[] content) throws MalformedInputException {
        String sniffed = sniffFormat(content);
        JsonNode root = UntrustedJson.parse(content, sniffed, maxBytes);
        if (!root.isObject()) {
            throw new MalformedInputException(sniffed, "/", "expected a JSON object, found "
                    + root.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (root.has("payloadType") && root.has("payload")) {
            return fromEnvelope(root);
        }
        if (isStatement(root)) {
            return fromStatement(root, null, List.of());
        }
        return fromDocument(root, null, null, List.of());
    }

    /** An SBOM that arrived as an already-parsed attestation predicate. */
    SbomDocument locatePredicate(String predicateType, JsonNode predicate) throws MalformedInputException {
        return fromPredicate(predicateType, predicate, "in-toto predicate", List.of());
    }

    private SbomDocument fromEnvelope(JsonNode envelope) throws MalformedInputException {
        JsonNode payloadType = envelope.get("payloadType");
        if (!payloadType.isTextual() || !IN_TOTO_PAYLOAD_TYPE.equals(payloadType.asText())) {
            throw new MalformedInputException(DSSE_FORMAT, "/payloadType", "payload type "
                    + abbreviate(payloadType.toString()) + " is not " + IN_TOTO_PAYLOAD_TYPE);
        }
        JsonNode payload = envelope.get("payload");
        if (!payload.isTextual()) {
            throw new MalformedInputException(DSSE_FORMAT, "/payload", "payload is not a base64 string");
        }
        byte[] statement;
        try {
            String text = payload.asText();
            statement = text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(DSSE_FORMAT, "/payload", "payload is not valid base64: " + e.getMessage());
        }
        JsonNode root = UntrustedJson.parse(statement, STATEMENT_FORMAT + " (DSSE payload)", maxBytes);
        if (!root.isObject() || !isStatement(root)) {
            throw new MalformedInputException(STATEMENT_FORMAT, "/payload",
                    "the DSSE payload is not an in-toto statement");
        }
        List<String> warnings = new ArrayList<>();
        if (!envelope.path("signatures").isArray() || envelope.path("signatures").isEmpty()) {
            warnings.add("the DSSE envelope carries no signature");
        }
        return fromStatement(root, "DSSE envelope (signature not checked here), in-toto statement", warnings);
    }

    private static boolean isStatement(JsonNode root) {
        JsonNode type = root.get("_type");
        if (type != null && type.isTextual() && type.asText().startsWith("https://in-toto.io/Statement/")) {
            return true;
        }
        return type != null && root.has("predicateType") && root.has("predicate");
    }

    private SbomDocument fromStatement(JsonNode statement, String wrapping, List<String> warnings)
            throws MalformedInputException {
        JsonNode predicateType = statement.get("predicateType");
        if (predicateType == null || !predicateType.isTextual()) {
            throw new MalformedInputException(STATEMENT_FORMAT, "/predicateType", "missing predicate type");
        }
        JsonNode predicate = statement.get("predicate");
        if (predicate == null || predicate.isNull()) {
            throw new MalformedInputException(STATEMENT_FORMAT, "/predicate", "missing predicate");
        }
        return fromPredicate(predicateType.asText(), predicate,
                wrapping == null ? "in-toto statement" : wrapping, warnings);
    }

    private SbomDocument fromPredicate(String predicateType, JsonNode predicate, String wrapping,
            List<String> warnings) throws MalformedInputException {
        SbomFormat expected = formatOfPredicateType(predicateType);
        if (expected == null) {
            throw new MalformedInputException(STATEMENT_FORMAT, "/predicateType", "predicate type '"
                    + abbreviate(predicateType) + "' is not a CycloneDX or SPDX SBOM");
        }
        JsonNode sbom = predicate;
        // cosign wraps predicates it cannot embed as JSON in {"Data": "<text>"}; some tools embed a string.
        if (sbom.isObject() && sbom.size() <= 2 && sbom.path("Data").isTextual()) {
            sbom = parseEmbedded(sbom.get("Data").asText(), "/predicate/Data");
        } else if (sbom.isTextual()) {
            sbom = parseEmbedded(sbom.asText(), "/predicate");
        }
        if (!sbom.isObject()) {
            throw new MalformedInputException(STATEMENT_FORMAT, "/predicate", "the predicate is not a JSON object");
        }
        SbomDocument document = fromDocument(sbom, wrapping + ", predicate type " + predicateType, predicateType,
                warnings);
        if (document.format() != expected) {
            throw new MalformedInputException(STATEMENT_FORMAT, "/predicate", "predicate type " + predicateType
                    + " announces " + expected.displayName() + " but the predicate is a "
                    + document.format().displayName());
        }
        return document;
    }

    private JsonNode parseEmbedded(String text, String where) throws MalformedInputException {
        String stripped = text.strip();
        if (stripped.startsWith("SPDXVersion:")) {
            throw new MalformedInputException(STATEMENT_FORMAT, where, "SPDX tag-value is not supported; use SPDX JSON");
        }
        if (stripped.startsWith("<")) {
            throw new MalformedInputException(STATEMENT_FORMAT, where, "XML SBOMs are not supported; use JSON");
        }
        return UntrustedJson.parse(stripped.getBytes(StandardCharsets.UTF_8), "SBOM in " + STATEMENT_FORMAT + " " + where,
                maxBytes);
    }

    static SbomFormat formatOfPredicateType(String predicateType) {
        String t = predicateType.toLowerCase(Locale.ROOT);
        if (t.startsWith("https://cyclonedx.org/bom") || t.startsWith("http://cyclonedx.org/bom")) {
            return SbomFormat.CYCLONEDX;
        }
        if (t.startsWith("https://spdx.dev/document") || t.startsWith("http://spdx.dev/document")
                || t.startsWith("https://spdx.github.io/spdx-spec")) {
            return SbomFormat.SPDX;
        }
        return null;
    }

    private static SbomDocument fromDocument(JsonNode root, String wrapping, String predicateType,
            List<String> warnings) throws MalformedInputException {
        if (root.has("bomFormat")) {
            JsonNode v = root.get("specVersion");
            return new SbomDocument(SbomFormat.CYCLONEDX, v != null && v.isTextual() ? v.asText() : null, root,
                    wrapping, warnings);
        }
        if (root.has("spdxVersion")) {
            JsonNode v = root.get("spdxVersion");
            String version = v.isTextual() && v.asText().startsWith("SPDX-") ? v.asText().substring(5) : null;
            return new SbomDocument(SbomFormat.SPDX, version, root, wrapping, warnings);
        }
        String where = wrapping == null ? "SBOM" : "SBOM in " + STATEMENT_FORMAT;
        if (root.has("@context") && root.get("@context").toString().contains("spdx.org/rdf/3")) {
            throw new MalformedInputException(where, "/@context", "SPDX 3 (JSON-LD) is not supported; use SPDX 2.2 or 2.3 JSON");
        }
        if (root.has("specVersion") && root.has("components")) {
            throw new MalformedInputException("CycloneDX SBOM", "/", "required property 'bomFormat' not found");
        }
        throw new MalformedInputException(where, "/", "neither a CycloneDX JSON document (no bomFormat) nor an SPDX "
                + "JSON document (no spdxVersion), nor an in-toto statement or DSSE envelope carrying one"
                + (predicateType == null ? "" : " (predicate type " + predicateType + ")"));
    }

    /**
     * Names the format for parse errors before the JSON can be read, from markers in the first
     * bytes; {@code "SBOM"} when none is seen. XML and SPDX tag-value are refused by name.
     */
    static String sniffFormat(byte[] content) throws MalformedInputException {
        if (content == null) {
            return "SBOM";
        }
        String head = new String(content, 0, Math.min(content.length, SNIFF_BYTES), StandardCharsets.UTF_8);
        String start = head.stripLeading();
        if (start.startsWith("\uFEFF")) {
            start = start.substring(1).stripLeading();
        }
        if (start.startsWith("<")) {
            throw new MalformedInputException("SBOM", "line 1", "XML SBOMs are not supported; use CycloneDX JSON");
        }
        if (start.startsWith("SPDXVersion:")) {
            throw new MalformedInputException("SBOM", "line 1", "SPDX tag-value is not supported; use SPDX JSON");
        }
        if (head.contains("\"payloadType\"")) {
            return DSSE_FORMAT;
        }
        if (head.contains("\"predicateType\"")) {
            return STATEMENT_FORMAT;
        }
        if (head.contains("\"bomFormat\"")) {
            return "CycloneDX SBOM";
        }
        if (head.contains("\"spdxVersion\"")) {
            return "SPDX SBOM";
        }
        return "SBOM";
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 97) + "..." : s;
    }
}
