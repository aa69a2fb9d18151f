package dev.gatehouse.verify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.policy.Violation;
import java.util.List;

/** The JSON form of a {@link VerificationReport}: what `gatehouse verify --format json` prints and functions store. */
public final class ReportJson {

    public static final String SCHEMA = "https://gatehouse.dev/schemas/report/v1";

    private ReportJson() {}

    public static ObjectNode toJson(VerificationReport r) {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("schema", SCHEMA);
        root.put("reference", r.reference());
        root.put("digest", r.digest());
        root.put("platform", r.platform());
        ObjectNode decision = root.putObject("decision");
        decision.put("outcome", r.decision().outcome().name().toLowerCase());
        decision.put("allowed", r.decision().allowed());
        decision.put("policy_revision", r.decision().bundleRevision());
        violations(decision.putArray("deny"), r.decision().denials());
        violations(decision.putArray("warn"), r.decision().warnings());
        ArrayNode evidence = root.putArray("evidence");
        for (VerificationReport.EvidenceRecord e : r.evidence()) {
            ObjectNode n = evidence.addObject();
            n.put("kind", e.kind());
            n.put("source", e.source());
            n.put("digest", e.digest());
            if (e.predicateType() != null) {
                n.put("predicate_type", e.predicateType());
            }
            n.put("status", e.status().name().toLowerCase());
            n.put("detail", e.detail());
        }
        ArrayNode suppressed = root.putArray("vex_suppressed");
        for (VerificationReport.Suppression s : r.suppressions()) {
            ObjectNode n = suppressed.addObject();
            n.put("vulnerability", s.vulnerability());
            n.put("component", s.component());
            n.put("status", s.status());
            n.put("justification", s.justification());
            n.put("document", s.document());
            n.put("author", s.author());
        }
        ObjectNode t = root.putObject("timings_ms");
        t.put("registry", r.timings().registryMillis());
        t.put("verify", r.timings().verifyMillis());
        t.put("policy", r.timings().policyMillis());
        t.put("total", r.timings().totalMillis());
        root.set("input", r.input());
        return root;
    }

    private static void violations(ArrayNode out, List<Violation> violations) {
        for (Violation v : violations) {
            ObjectNode n = out.addObject();
            n.put("policy", v.policy());
            n.put("severity", v.severity());
            n.put("message", v.message());
            n.put("evidence", v.evidence());
        }
    }
}
