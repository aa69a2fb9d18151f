package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.verify.VerificationReport;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** SARIF 2.1.0 for code-scanning views: one rule per policy, one result per denial or warning. */
final class ReportSarif {

    private ReportSarif() {}

    static ObjectNode of(VerificationReport r) {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "gatehouse");
        driver.put("informationUri", "https://gatehouse.dev");
        Set<String> rules = new LinkedHashSet<>();
        r.decision().denials().forEach(v -> rules.add(v.policy()));
        r.decision().warnings().forEach(v -> rules.add(v.policy()));
        ArrayNode ruleArray = driver.putArray("rules");
        rules.forEach(id -> ruleArray.addObject().put("id", id).putObject("shortDescription").put("text", "Gatehouse policy " + id));
        ArrayNode results = run.putArray("results");
        add(results, r, r.decision().denials(), "error");
        add(results, r, r.decision().warnings(), "warning");
        return root;
    }

    private static void add(ArrayNode results, VerificationReport r, List<Violation> violations, String level) {
        for (Violation v : violations) {
            ObjectNode result = results.addObject();
            result.put("ruleId", v.policy());
            result.put("level", level);
            result.putObject("message").put("text", v.message());
            ObjectNode location = result.putArray("locations").addObject();
            location.putArray("logicalLocations").addObject()
                    .put("name", r.reference())
                    .put("fullyQualifiedName", r.reference() + "@" + r.digest())
                    .put("kind", "image");
            ObjectNode props = result.putObject("properties");
            props.put("severity", v.severity());
            props.put("evidence", v.evidence());
            props.put("digest", r.digest());
        }
    }
}
