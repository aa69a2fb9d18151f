package dev.gatehouse.sla;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.FindingLedger.Entry;
import dev.gatehouse.sla.SlaReport.ClosedFinding;
import dev.gatehouse.sla.SlaReport.EolStatus;
import dev.gatehouse.sla.SlaReport.ImageSla;
import dev.gatehouse.sla.SlaReport.OpenFinding;
import dev.gatehouse.sla.SlaReport.Totals;
import java.time.Duration;
import java.util.Locale;

/** The SLA report for people (text) and machines (JSON, schema {@value #SCHEMA}). */
public final class SlaReportFormat {

    public static final String SCHEMA = "https://gatehouse.dev/schemas/sla-report/v1";

    private SlaReportFormat() {}

    public static ObjectNode json(SlaReport report) {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("schema", SCHEMA);
        root.put("now", report.now().toString());
        root.put("rules", report.rulesSource());
        Totals t = report.totals();
        ObjectNode totals = root.putObject("totals");
        totals.put("images", t.images());
        totals.put("open_findings", t.openFindings());
        totals.put("open_with_fix", t.openWithFix());
        totals.put("breaches", t.breaches());
        totals.put("kev_breaches", t.kevBreaches());
        ObjectNode bySeverity = totals.putObject("breaches_by_severity");
        t.breachesBySeverity().forEach(bySeverity::put);
        totals.put("closed", t.closed());
        totals.put("remediated", t.remediated());
        totals.put("remediated_within_sla", t.remediatedWithinSla());
        if (t.meanTimeToRemediate() == null) {
            totals.putNull("mean_time_to_remediate_hours");
        } else {
            totals.put("mean_time_to_remediate_hours", hours(t.meanTimeToRemediate()));
        }
        totals.put("images_past_eol", t.imagesPastEol());
        totals.put("images_past_eol_extended_support", t.imagesPastEolExempt());
        ArrayNode breaches = root.putArray("breaches");
        report.breaches().forEach(b -> open(breaches.addObject(), b, true));
        ArrayNode images = root.putArray("images");
        for (ImageSla image : report.images()) {
            ObjectNode n = images.addObject();
            n.put("repository", image.image().repository());
            n.put("digest", image.image().digest().toString());
            putIfSet(n, "tag", image.image().tag());
            n.put("last_verified", image.image().lastVerifiedAt().toString());
            n.put("open", image.open().size());
            n.put("breaches", image.breaches().size());
            n.put("extended_support", image.extendedSupport());
            n.put("eol_breach", image.eolBreach());
            ArrayNode eol = n.putArray("eol");
            for (EolStatus s : image.eol()) {
                ObjectNode e = eol.addObject();
                e.put("product", s.product().name());
                e.put("version", s.product().version());
                e.put("end_of_life", s.endOfLife().toString());
                e.put("state", s.state().name().toLowerCase(Locale.ROOT));
                e.put("breach", s.breach());
            }
            ArrayNode findings = n.putArray("findings");
            image.open().forEach(f -> open(findings.addObject(), f, false));
        }
        ArrayNode closed = root.putArray("closed");
        for (ClosedFinding c : report.closed()) {
            ObjectNode n = closed.addObject();
            finding(n, c.entry(), true);
            n.put("kev", c.kev());
            n.put("sla_days", c.slaDays());
            n.put("clock_start", c.clockStart().toString());
            n.put("closed", c.closed().at().toString());
            n.put("closure", c.closed().closure().name().toLowerCase(Locale.ROOT));
            n.put("closed_by", c.closed().by().toString());
            n.put("time_to_fix_hours", hours(c.timeToFix()));
            n.put("within_sla", c.withinSla());
        }
        return root;
    }

    public static String text(SlaReport report) {
        StringBuilder out = new StringBuilder();
        Totals t = report.totals();
        out.append("SLA report at ").append(report.now()).append(" (rules: ").append(report.rulesSource()).append(")\n");
        out.append(t.images()).append(" images, ").append(t.openFindings()).append(" open findings (").append(t.openWithFix())
                .append(" with a fix), ").append(t.breaches()).append(" SLA breaches");
        if (!t.breachesBySeverity().isEmpty()) {
            out.append(" ").append(t.breachesBySeverity());
        }
        out.append(", ").append(t.kevBreaches()).append(" KEV\n");
        out.append(t.closed()).append(" closed, ").append(t.remediated()).append(" remediated (").append(t.remediatedWithinSla())
                .append(" within SLA), mean time to remediate ")
                .append(t.meanTimeToRemediate() == null ? "-" : duration(t.meanTimeToRemediate())).append('\n');
        out.append(t.imagesPastEol()).append(" images past end of life, ").append(t.imagesPastEolExempt())
                .append(" more with extended support\n");
        if (!report.breaches().isEmpty()) {
            out.append("\nOpen SLA breaches:\n");
            for (OpenFinding b : report.breaches()) {
                Entry e = b.entry();
                out.append("  ").append(e.repository()).append('@').append(e.digest().hex(), 0, 12).append("  ")
                        .append(e.finding().vulnerability()).append(b.kev() ? " [KEV]" : "").append(" (").append(e.severity())
                        .append(") in ").append(e.finding().packageRef()).append(": fix available ").append(b.clockStart())
                        .append(", ").append(b.ageDays()).append(" days, SLA ").append(b.slaDays()).append(" days\n");
            }
        }
        out.append("\nImages:\n");
        for (ImageSla image : report.images()) {
            out.append("  ").append(image.reference()).append(": ").append(image.open().size()).append(" open, ")
                    .append(image.breaches().size()).append(" breaches");
            for (EolStatus s : image.eol()) {
                out.append(", ").append(s.product().name()).append(' ').append(s.product().version()).append(' ')
                        .append(switch (s.state()) {
                            case PAST -> "past end of life " + s.endOfLife() + (s.extendedSupport() ? " (extended support)" : "");
                            case ENDING_SOON -> "ends " + s.endOfLife();
                            case SUPPORTED -> "supported until " + s.endOfLife();
                        });
            }
            out.append('\n');
        }
        if (!report.closed().isEmpty()) {
            out.append("\nClosed findings:\n");
            for (ClosedFinding c : report.closed()) {
                Entry e = c.entry();
                out.append("  ").append(e.repository()).append('@').append(e.digest().hex(), 0, 12).append("  ")
                        .append(e.finding().vulnerability()).append(" in ").append(e.finding().packageRef()).append(": ")
                        .append(c.closed().closure().name().toLowerCase(Locale.ROOT)).append(" at ").append(c.closed().at())
                        .append(" by ").append(c.closed().by().hex(), 0, 12).append(", time to fix ").append(duration(c.timeToFix()))
                        .append(c.remediation() ? c.withinSla() ? " (within SLA)" : " (SLA missed)" : "").append('\n');
            }
        }
        return out.toString();
    }

    private static void open(ObjectNode n, OpenFinding f, boolean withImage) {
        finding(n, f.entry(), withImage);
        n.put("kev", f.kev());
        n.put("sla_days", f.slaDays());
        if (f.clockStart() == null) {
            n.putNull("fix_available");
        } else {
            n.put("fix_available", f.clockStart().toString());
            n.put("age_days", f.ageDays());
            n.put("breach_starts", f.breachStarts().toString());
        }
        n.put("breached", f.breached());
    }

    private static void finding(ObjectNode n, Entry e, boolean withImage) {
        if (withImage) {
            n.put("repository", e.repository());
            n.put("digest", e.digest().toString());
        }
        n.put("id", e.finding().vulnerability());
        ArrayNode aliases = n.putArray("aliases");
        e.aliases().forEach(aliases::add);
        n.put("package", e.finding().packageRef());
        n.put("severity", e.severity());
        n.put("first_seen", e.firstSeen().toString());
        n.put("reopened", e.reopened());
    }

    private static double hours(Duration d) {
        return Math.round(d.toMillis() / 36_000.0) / 100.0;
    }

    private static String duration(Duration d) {
        long hours = d.toHours();
        return hours >= 48 ? hours / 24 + "d " + hours % 24 + "h" : hours + "h " + d.toMinutesPart() + "m";
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
