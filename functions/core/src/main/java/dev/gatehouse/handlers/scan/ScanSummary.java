package dev.gatehouse.handlers.scan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.ImageEnumerator.Unlisted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The totals of one finished scan: decisions, images denied per policy rule, open vulnerabilities
 * by severity (unique CVE ids and findings across images), SLA breaches, and every image that could
 * not be verified or listed. Counts are over the images the plan enqueued; an image with an error
 * counts only as an error.
 */
public record ScanSummary(ScanPlan plan, Instant finishedAt, int batchesRecorded, int listenerFailures,
                          List<ImageResult> results) {

    public static final String SCHEMA = "https://gatehouse.dev/schemas/scan-summary/v1";
    public static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "negligible", "unknown");

    public ScanSummary {
        results = results.stream().sorted(Comparator.comparing(ImageResult::registry).thenComparing(ImageResult::repository)
                .thenComparing(ImageResult::digest)).toList();
    }

    /** One image per repository and digest, the first record kept if a batch was recorded twice. */
    static List<ImageResult> distinct(List<ImageResult> results) {
        Set<String> seen = new HashSet<>();
        List<ImageResult> out = new ArrayList<>();
        for (ImageResult r : results) {
            if (seen.add(r.pinnedReference())) {
                out.add(r);
            }
        }
        return out;
    }

    public String scanId() {
        return plan.scanId();
    }

    /** Complete when every enqueued batch recorded its results. */
    public boolean complete() {
        return batchesRecorded >= plan.batches();
    }

    public Map<ImageResult.Status, Integer> decisions() {
        Map<ImageResult.Status, Integer> out = new LinkedHashMap<>();
        for (ImageResult.Status s : ImageResult.Status.values()) {
            out.put(s, 0);
        }
        results.forEach(r -> out.merge(r.status(), 1, Integer::sum));
        return out;
    }

    /** Images denied by each policy rule (an image with three findings under one rule counts once). */
    public Map<String, Integer> deniedByRule() {
        return byRule(true);
    }

    public Map<String, Integer> warnedByRule() {
        return byRule(false);
    }

    private Map<String, Integer> byRule(boolean denials) {
        Map<String, Integer> out = new TreeMap<>();
        for (ImageResult r : results) {
            Set<String> rules = new TreeSet<>();
            (denials ? r.denials() : r.warnings()).stream().map(Violation::policy).forEach(rules::add);
            rules.forEach(rule -> out.merge(rule, 1, Integer::sum));
        }
        return out;
    }

    /** Distinct open CVE ids per severity across all images (a CVE in 40 images counts once). */
    public Map<String, Integer> uniqueCvesBySeverity() {
        Map<String, Set<String>> ids = new LinkedHashMap<>();
        SEVERITIES.forEach(s -> ids.put(s, new HashSet<>()));
        results.forEach(r -> r.openCves().forEach(c -> ids.get(c.severity()).add(c.id())));
        Map<String, Integer> out = new LinkedHashMap<>();
        ids.forEach((s, set) -> out.put(s, set.size()));
        return out;
    }

    /** Open findings per severity, one per image and CVE and component. */
    public Map<String, Integer> openFindingsBySeverity() {
        Map<String, Integer> out = new LinkedHashMap<>();
        SEVERITIES.forEach(s -> out.put(s, 0));
        results.forEach(r -> r.openCves().forEach(c -> out.merge(c.severity(), 1, Integer::sum)));
        return out;
    }

    public int suppressedFindings() {
        return results.stream().mapToInt(ImageResult::suppressedFindings).sum();
    }

    public Map<String, Integer> slaBreachesBySeverity() {
        Map<String, Integer> out = new LinkedHashMap<>();
        SEVERITIES.forEach(s -> out.put(s, 0));
        results.forEach(r -> r.slaBreaches().forEach(b -> out.merge(b.severity(), 1, Integer::sum)));
        return out;
    }

    public int slaBreaches() {
        return results.stream().mapToInt(r -> r.slaBreaches().size()).sum();
    }

    public List<ImageResult> errors() {
        return results.stream().filter(r -> r.status() == ImageResult.Status.ERROR).toList();
    }

    public ObjectNode toJson() {
        ObjectNode n = UntrustedJson.mapper().createObjectNode();
        n.put("schema", SCHEMA);
        n.put("scan_id", plan.scanId());
        n.put("source", plan.source());
        n.put("started_at", plan.startedAt().toString());
        n.put("finished_at", finishedAt.toString());
        n.put("complete", complete());
        n.put("batches", plan.batches());
        n.put("batches_recorded", batchesRecorded);
        n.put("images", plan.images());
        n.put("images_recorded", results.size());
        Set<String> revisions = new TreeSet<>();
        results.forEach(r -> {
            if (r.policyRevision() != null) {
                revisions.add(r.policyRevision());
            }
        });
        ArrayNode rev = n.putArray("policy_revisions");
        revisions.forEach(rev::add);
        ObjectNode decisions = n.putObject("decisions");
        decisions().forEach((s, c) -> decisions.put(s.label(), c));
        ObjectNode denied = n.putObject("violations_by_rule");
        deniedByRule().forEach(denied::put);
        ObjectNode warned = n.putObject("warnings_by_rule");
        warnedByRule().forEach(warned::put);
        ObjectNode cves = n.putObject("cves_by_severity");
        uniqueCvesBySeverity().forEach(cves::put);
        ObjectNode findings = n.putObject("open_findings_by_severity");
        openFindingsBySeverity().forEach(findings::put);
        n.put("suppressed_findings", suppressedFindings());
        ObjectNode sla = n.putObject("sla_breaches");
        sla.put("total", slaBreaches());
        ObjectNode slaBySeverity = sla.putObject("by_severity");
        slaBreachesBySeverity().forEach(slaBySeverity::put);
        ArrayNode slaList = sla.putArray("breaches");
        for (ImageResult r : results) {
            for (ImageResult.SlaBreach b : r.slaBreaches()) {
                slaList.addObject().put("image", r.pinnedReference()).put("id", b.id()).put("severity", b.severity())
                        .put("component", b.component()).put("message", b.message());
            }
        }
        ArrayNode errors = n.putArray("images_with_errors");
        for (ImageResult r : errors()) {
            ObjectNode e = errors.addObject().put("image", r.pinnedReference()).put("error", r.error());
            tags(e, r);
        }
        ArrayNode unlisted = n.putArray("unlisted");
        for (Unlisted u : plan.unlisted()) {
            ObjectNode e = unlisted.addObject().put("repository", u.registry() + "/" + u.repository());
            if (u.tag() != null) {
                e.put("tag", u.tag());
            }
            e.put("problem", u.problem());
        }
        n.put("skipped_attachments", plan.skippedAttachments());
        n.put("skipped_untagged", plan.skippedUntagged());
        n.put("truncated", plan.truncated());
        n.put("listener_failures", listenerFailures);
        ArrayNode images = n.putArray("results");
        for (ImageResult r : results) {
            ObjectNode e = images.addObject().put("image", r.pinnedReference());
            tags(e, r);
            e.put("status", r.status().label());
            ArrayNode rules = e.putArray("denied_by");
            r.denials().stream().map(Violation::policy).distinct().forEach(rules::add);
            e.put("open_cves", r.openCves().size());
            e.put("sla_breaches", r.slaBreaches().size());
            if (r.reportKey() != null) {
                e.put("report", r.reportKey());
            }
        }
        return n;
    }

    private static void tags(ObjectNode e, ImageResult r) {
        ArrayNode t = e.putArray("tags");
        r.tags().forEach(t::add);
    }

    /** The counts the trend charts of later scans draw. */
    public ScanHistory.Point historyPoint() {
        return new ScanHistory.Point(plan.scanId(), plan.startedAt(), uniqueCvesBySeverity(), slaBreaches(), plan.images(),
                decisions().get(ImageResult.Status.DENY), decisions().get(ImageResult.Status.ERROR));
    }
}
