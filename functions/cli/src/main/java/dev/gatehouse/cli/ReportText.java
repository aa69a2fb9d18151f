package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.verify.VerificationReport;
import java.io.PrintWriter;
import java.util.stream.StreamSupport;

/** A verification report as a person takes it in at a glance: verdict first, then why. */
final class ReportText {

    private ReportText() {}

    static void print(VerificationReport r, PrintWriter out) {
        Decision d = r.decision();
        out.println(switch (d.outcome()) {
            case ALLOW -> "ALLOW";
            case WARN -> "ALLOW with warnings";
            case DENY -> "DENY";
        } + "  " + r.reference());
        out.println("  " + (r.platform() == null ? "artifact " + r.digest() : "image    " + r.digest() + " (" + r.platform() + ")"));
        out.println("  policy   " + d.bundleRevision());
        if (!d.denials().isEmpty()) {
            out.println("  denied because");
            d.denials().forEach(v -> out.println("    " + violation(v)));
        }
        if (!d.warnings().isEmpty()) {
            out.println("  warnings");
            d.warnings().forEach(v -> out.println("    " + violation(v)));
        }
        out.println("  evidence");
        if (r.evidence().isEmpty()) {
            out.println("    (nothing attached)");
        }
        for (VerificationReport.EvidenceRecord e : r.evidence()) {
            String mark = switch (e.status()) {
                case VERIFIED -> "ok      ";
                case REJECTED -> "REJECTED";
                case UNSIGNED -> "unsigned";
            };
            out.println("    " + mark + " " + e.kind() + (e.predicateType() == null ? "" : " " + e.predicateType())
                    + " [" + e.source() + "]: " + e.detail());
        }
        var chartImages = r.input().path("helm").path("images");
        if (!chartImages.isEmpty()) {
            out.println("  chart images");
            for (var image : chartImages) {
                out.println("    " + (image.path("allow").asBoolean() ? "pass    " : "FAIL    ") + image.path("reference").asText()
                        + (image.hasNonNull("digest") ? " " + image.path("digest").asText() : "")
                        + (image.path("reasons").isEmpty() ? "" : ": " + String.join("; ",
                                StreamSupport.stream(image.path("reasons").spliterator(), false)
                                        .map(JsonNode::asText).toList())));
            }
        }
        if (!r.suppressions().isEmpty()) {
            out.println("  suppressed by VEX");
            for (VerificationReport.Suppression s : r.suppressions()) {
                out.println("    " + s.vulnerability() + " in " + s.component() + ": " + s.status()
                        + (s.justification() == null ? "" : " (" + s.justification() + ")")
                        + (s.author() == null ? "" : " per " + s.author()));
            }
        }
        var t = r.timings();
        out.println("  time     " + t.totalMillis() + " ms (registry " + t.registryMillis() + ", verification "
                + t.verifyMillis() + ", policy " + t.policyMillis() + ")");
        out.flush();
    }

    private static String violation(Violation v) {
        return "[" + v.policy() + " " + v.severity() + "] " + v.message()
                + (v.evidence().isEmpty() ? "" : "  (" + v.evidence() + ")");
    }
}
