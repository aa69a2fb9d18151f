package dev.gatehouse.vex;

import dev.gatehouse.vuln.ScanReport;
import dev.gatehouse.vuln.ScannedFinding;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the findings VEX suppresses from a scan report and writes the report back in its own
 * format (what {@code vexctl filter} does, with product matching and the documented precedence).
 */
public final class ScanFilter {

    /**
     * The outcome: the filtered report and one verdict per finding of the input, in order.
     *
     * @param image the identity the scan was matched as, or null when neither the report nor the
     *     caller named the scanned image
     */
    public record Result(byte[] filtered, List<VexVerdict> verdicts, ProductIdentity image) {

        public long suppressedCount() {
            return verdicts.stream().filter(VexVerdict::suppressed).count();
        }
    }

    private ScanFilter() {}

    /**
     * Filters {@code report}. The scanned image is what the report names, joined with
     * {@code declaredProduct} (null when the caller names nothing).
     */
    public static Result filter(ScanReport report, MergedVex vex, VexPolicy policy, ProductIdentity declaredProduct) {
        ProductIdentity image = null;
        if (report.subject() != null && report.subject().digest() != null) {
            image = ProductIdentity.ofImage(report.subject().repository(), report.subject().digest(), null);
        }
        if (declaredProduct != null) {
            image = image == null ? declaredProduct : image.union(declaredProduct);
        }
        List<VexVerdict> verdicts = new VexApplication(vex, policy).decide(report, image);
        List<ScannedFinding> removed = new ArrayList<>();
        for (int i = 0; i < verdicts.size(); i++) {
            if (verdicts.get(i).suppressed()) {
                removed.add(report.findings().get(i));
            }
        }
        return new Result(report.without(removed), verdicts, image);
    }
}
