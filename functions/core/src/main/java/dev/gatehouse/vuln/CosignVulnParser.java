package dev.gatehouse.vuln;

import dev.gatehouse.io.JsonCursor;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.Digest;
import java.util.List;

/**
 * The cosign vuln predicate ({@code https://cosign.sigstore.dev/attestation/vuln/v1}), bare or in
 * an in-toto statement. Its {@code scanner.result} holds a report in one of the other formats;
 * the findings are that report's, the subject is the statement's.
 */
final class CosignVulnParser {

    private CosignVulnParser() {}

    static boolean recognises(JsonCursor root) {
        var n = root.node();
        if (ScanReports.COSIGN_VULN_PREDICATE.equals(n.path("predicateType").asText(null))) {
            return true;
        }
        return n.has("scanner") && n.has("invocation");
    }

    static ScanReport parse(JsonCursor root) throws MalformedInputException {
        JsonCursor predicate = root.has("predicateType") ? root.field("predicate") : root;
        predicate.requireObject();
        ScanSubject subject = null;
        for (JsonCursor s : root.field("subject").array()) {
            String sha = s.field("digest").field("sha256").optText();
            if (subject == null && sha != null && Digest.isDigest("sha256:" + sha)) {
                subject = new ScanSubject(s.field("name").optText(), Digest.parse("sha256:" + sha));
            }
        }
        JsonCursor result = predicate.field("scanner").requireObject().field("result");
        if (!result.present() || (result.node().isObject() && result.node().isEmpty())) {
            return new ScanReport(ScanFormat.COSIGN_VULN, root.node(), List.of(), subject, null, 1, null);
        }
        result.requireObject();
        ScanReport inner = ScanReports.parseInner(result);
        if (inner == null) {
            throw result.error("scanner.result is not SARIF 2.1, Trivy JSON, Grype JSON or CycloneDX");
        }
        return new ScanReport(ScanFormat.COSIGN_VULN, root.node(), inner.findings(),
                subject != null ? subject : inner.subject(), inner.serialNumber(), inner.bomVersion(), inner.graph());
    }
}
