package dev.gatehouse.handlers.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.verify.VerificationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a scan found for one image, as the batch record and the summary keep it: the decision (or
 * the error that prevented one), the violations, the open (not VEX-suppressed) vulnerabilities and
 * the SLA breaches among them. The full verification report is in the blob at {@code reportKey}.
 */
public record ImageResult(String registry, String repository, Digest digest, List<String> tags, Status status, String error,
                          String policyRevision, List<Violation> denials, List<Violation> warnings, List<Cve> openCves,
                          int suppressedFindings, List<SlaBreach> slaBreaches, String reportKey) {

    /** The policy id of the remediation-SLA rule in the hardened bundle; its denials are SLA breaches. */
    public static final String SLA_POLICY = "GH-VULN-SLA";
    static final int MAX_VIOLATIONS = 100;
    static final int MAX_CVES = 5_000;

    /** A decision, or ERROR when none could be reached: an error never counts as a pass. */
    public enum Status {
        ALLOW, WARN, DENY, ERROR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Cve(String id, String severity, String component) {}

    public record SlaBreach(String id, String severity, String component, String message) {}

    public ImageResult {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(status, "status");
        tags = List.copyOf(tags);
        denials = List.copyOf(denials);
        warnings = List.copyOf(warnings);
        openCves = List.copyOf(openCves);
        slaBreaches = List.copyOf(slaBreaches);
        if ((status == Status.ERROR) != (error != null)) {
            throw new IllegalArgumentException("an image result has an error exactly when its status is ERROR");
        }
    }

    public String pinnedReference() {
        return registry + "/" + repository + "@" + digest;
    }

    /** The result of a verification that decided. */
    public static ImageResult decided(String registry, String repository, Digest digest, List<String> tags,
            VerificationReport report, String reportKey) {
        Decision decision = report.decision();
        Status status = switch (decision.outcome()) {
            case ALLOW -> Status.ALLOW;
            case WARN -> Status.WARN;
            case DENY -> Status.DENY;
        };
        JsonNode findings = report.input().path("vulnerabilities").path("findings");
        List<Cve> open = new ArrayList<>();
        int suppressed = 0;
        for (JsonNode f : findings) {
            if (f.path("suppressed").asBoolean(false)) {
                suppressed++;
            } else if (open.size() < MAX_CVES) {
                open.add(new Cve(f.path("id").asText(""), severity(f.path("severity").asText("unknown")), component(f)));
            }
        }
        List<SlaBreach> breaches = new ArrayList<>();
        for (Violation v : decision.denials()) {
            if (!SLA_POLICY.equals(v.policy())) {
                continue;
            }
            JsonNode finding = v.evidence().startsWith("/") ? report.input().at(v.evidence()) : null;
            boolean known = finding != null && !finding.isMissingNode();
            breaches.add(new SlaBreach(known ? finding.path("id").asText("") : "", severity(known
                    ? finding.path("severity").asText(v.severity()) : v.severity()), known ? component(finding) : "", v.message()));
        }
        return new ImageResult(registry, repository, digest, tags, status, null, decision.bundleRevision(),
                cap(decision.denials()), cap(decision.warnings()), open, suppressed, breaches, reportKey);
    }

    public static ImageResult failed(String registry, String repository, Digest digest, List<String> tags, String error,
            String policyRevision, String reportKey) {
        return new ImageResult(registry, repository, digest, tags, Status.ERROR, error == null || error.isBlank()
                ? "verification failed without a message" : error, policyRevision, List.of(), List.of(), List.of(), 0,
                List.of(), reportKey);
    }

    private static List<Violation> cap(List<Violation> violations) {
        return violations.size() <= MAX_VIOLATIONS ? violations : violations.subList(0, MAX_VIOLATIONS);
    }

    private static String component(JsonNode finding) {
        JsonNode p = finding.path("package");
        String purl = p.path("purl").asText("");
        return purl.isEmpty() ? p.path("name").asText("") : purl;
    }

    /** Severities as the policy input writes them; anything else is {@code unknown}. */
    static String severity(String value) {
        String s = value == null ? "" : value.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "critical", "high", "medium", "low", "negligible" -> s;
            default -> "unknown";
        };
    }

    ObjectNode toJson() {
        ObjectNode n = UntrustedJson.mapper().createObjectNode();
        n.put("registry", registry);
        n.put("repository", repository);
        n.put("digest", digest.toString());
        ArrayNode t = n.putArray("tags");
        tags.forEach(t::add);
        n.put("status", status.label());
        if (error != null) {
            n.put("error", error);
        }
        if (policyRevision != null) {
            n.put("policy_revision", policyRevision);
        }
        violations(n.putArray("deny"), denials);
        violations(n.putArray("warn"), warnings);
        ArrayNode cves = n.putArray("open_cves");
        for (Cve c : openCves) {
            cves.addObject().put("id", c.id()).put("severity", c.severity()).put("component", c.component());
        }
        n.put("suppressed_findings", suppressedFindings);
        ArrayNode sla = n.putArray("sla_breaches");
        for (SlaBreach b : slaBreaches) {
            sla.addObject().put("id", b.id()).put("severity", b.severity()).put("component", b.component()).put("message", b.message());
        }
        if (reportKey != null) {
            n.put("report", reportKey);
        }
        return n;
    }

    private static void violations(ArrayNode out, List<Violation> violations) {
        for (Violation v : violations) {
            out.addObject().put("policy", v.policy()).put("severity", v.severity()).put("message", v.message())
                    .put("evidence", v.evidence());
        }
    }

    /** Reads what {@link #toJson()} wrote (from the scan's own batch records). */
    static ImageResult fromJson(JsonNode n) {
        List<String> tags = new ArrayList<>();
        n.path("tags").forEach(t -> tags.add(t.asText()));
        List<Cve> cves = new ArrayList<>();
        n.path("open_cves").forEach(c -> cves.add(new Cve(c.path("id").asText(""), severity(c.path("severity").asText()),
                c.path("component").asText(""))));
        List<SlaBreach> breaches = new ArrayList<>();
        n.path("sla_breaches").forEach(b -> breaches.add(new SlaBreach(b.path("id").asText(""), severity(b.path("severity").asText()),
                b.path("component").asText(""), b.path("message").asText(""))));
        Status status = Status.valueOf(n.path("status").asText("error").toUpperCase(Locale.ROOT));
        return new ImageResult(n.path("registry").asText(), n.path("repository").asText(), Digest.parse(n.path("digest").asText()),
                tags, status, status == Status.ERROR ? n.path("error").asText("unknown error") : null,
                n.hasNonNull("policy_revision") ? n.path("policy_revision").asText() : null,
                readViolations(n.path("deny")), readViolations(n.path("warn")), cves, n.path("suppressed_findings").asInt(0),
                breaches, n.hasNonNull("report") ? n.path("report").asText() : null);
    }

    private static List<Violation> readViolations(JsonNode list) {
        List<Violation> out = new ArrayList<>();
        list.forEach(v -> out.add(new Violation(v.path("policy").asText(), v.path("severity").asText(), v.path("message").asText(),
                v.path("evidence").asText())));
        return out;
    }
}
