package dev.gatehouse.handlers.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.ImageEnumerator.Unlisted;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanReportPageTest {

    static final Instant STARTED = Instant.parse("2026-11-26T02:00:00Z");
    static final String XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    @TempDir
    Path dir;

    static Digest digest(int i) {
        return Digest.sha256(("image-" + i).getBytes(StandardCharsets.UTF_8));
    }

    /** A scan of 12 images: allowed, denied by several rules with SLA breaches, and failed; names carry markup. */
    static ScanSummary summary() {
        ScanPlan plan = new ScanPlan(ScanId.next(STARTED), "registry.example:5000", STARTED, 13, 2, 4, 1,
                List.of(new Unlisted("registry.example:5000", "team/hidden", null, "cannot list tags: " + XSS)), false);
        List<ImageResult> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(new ImageResult("registry.example:5000", "team/app", digest(i), List.of("v" + i), ImageResult.Status.ALLOW,
                    null, "rev1", List.of(), List.of(), List.of(new ImageResult.Cve("CVE-2026-0003", "medium", "pkg:deb/debian/openssl")),
                    1, List.of(), "reports/x/images/" + i + ".json"));
        }
        for (int i = 5; i < 11; i++) {
            results.add(new ImageResult("registry.example:5000", "team/legacy", digest(i), List.of(XSS), ImageResult.Status.DENY, null,
                    "rev1", List.of(new Violation("GH-NONROOT", "high", "runs as root " + XSS, "/image/config/user"),
                            new Violation("GH-VULN-SLA", "critical", "CVE " + XSS + " past SLA", "/vulnerabilities/findings/0"),
                            new Violation("\"><svg onload=alert(3)>", "low", "rule id with markup", "")),
                    List.of(), List.of(new ImageResult.Cve(XSS, "critical", "pkg:x"), new ImageResult.Cve("CVE-2026-0002", "high", "pkg:y")),
                    0, List.of(new ImageResult.SlaBreach(XSS, "critical", "pkg:x", "fix available for 30 days " + XSS)), null));
        }
        results.add(ImageResult.failed("registry.example:5000", "team/broken", digest(11), List.of("v1"),
                "registry unavailable: " + XSS, "rev1", null));
        results.add(new ImageResult("registry.example:5000", "team/warn", digest(12), List.of("v1"), ImageResult.Status.WARN, null,
                "rev1", List.of(), List.of(new Violation("GH-EOL", "medium", "near end of life", "")), List.of(), 0, List.of(), null));
        return new ScanSummary(plan, STARTED.plusSeconds(90), 2, 0, results);
    }

    static List<ScanHistory.Point> history(ScanSummary summary) {
        List<ScanHistory.Point> points = new ArrayList<>();
        for (int i = 5; i >= 1; i--) {
            Instant at = STARTED.minus(Duration.ofDays(i));
            points.add(new ScanHistory.Point(ScanId.next(at), at, Map.of("critical", 4 + i, "high", 6 - i, "medium", 3, "low", i),
                    10 - i, 13, 6, 0));
        }
        points.add(summary.historyPoint());
        return points;
    }

    @Test
    void everythingFromImagesIsEscaped() {
        ScanSummary summary = summary();
        String html = ScanReportPage.render(summary, history(summary));
        assertThat(html).doesNotContain("<script", "<img", "<svg onload").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).contains("&quot;&gt;&lt;svg onload=alert(3)&gt;");
    }

    @Test
    void pageIsSelfContained() {
        ScanSummary summary = summary();
        String html = ScanReportPage.render(summary, history(summary));
        assertThat(html).doesNotContainPattern("<[a-zA-Z][^>]*\\s(?i:src|href)=").doesNotContain("<link", "url(", "@import");
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://", "https://");
        assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
    }

    @Test
    void summaryCountsDecisionsRulesSeveritiesAndBreaches() {
        ScanSummary summary = summary();
        assertThat(summary.decisions()).containsEntry(ImageResult.Status.ALLOW, 5).containsEntry(ImageResult.Status.DENY, 6)
                .containsEntry(ImageResult.Status.WARN, 1).containsEntry(ImageResult.Status.ERROR, 1);
        assertThat(summary.deniedByRule()).containsEntry("GH-NONROOT", 6).containsEntry("GH-VULN-SLA", 6);
        assertThat(summary.warnedByRule()).containsEntry("GH-EOL", 1);
        assertThat(summary.uniqueCvesBySeverity()).containsEntry("critical", 1).containsEntry("high", 1).containsEntry("medium", 1);
        assertThat(summary.openFindingsBySeverity()).containsEntry("critical", 6).containsEntry("medium", 5);
        assertThat(summary.slaBreaches()).isEqualTo(6);
        assertThat(summary.toJson().path("images_with_errors")).hasSize(1);
        assertThat(summary.toJson().path("unlisted")).hasSize(1);
        assertThat(summary.complete()).isTrue();
    }

    @Test
    void chartsAreDrawnInHeadlessChromium() throws Exception {
        ScanSummary summary = summary();
        Path html = dir.resolve("index.html");
        Files.writeString(html, ScanReportPage.render(summary, history(summary)));
        BufferedImage png = HeadlessChromium.screenshot(html, dir, 1300, 1100);
        HeadlessChromium.assertChartsDrawn(png);
    }

    @Test
    void emptyScanStillRendersEveryChart() throws Exception {
        ScanPlan plan = new ScanPlan(ScanId.next(STARTED), "registry.example", STARTED, 0, 0, 0, 0, List.of(), false);
        ScanSummary summary = new ScanSummary(plan, STARTED, 0, 0, List.of());
        String html = ScanReportPage.render(summary, List.of(summary.historyPoint()));
        assertThat(html).contains("no policy failures").contains("Every image was verified");
        assertThat(html.split("<svg", -1)).hasSize(ScanReportPage.CHARTS + 1);
    }

    @Test
    void longTablesShowTheirFirstRowsAndCountTheRest() {
        int errors = ScanReportPage.MAX_TABLE_ROWS + 500;
        int unlisted = ScanReportPage.MAX_TABLE_ROWS + 200;
        int breaches = ScanReportPage.MAX_TABLE_ROWS + 300;
        List<Unlisted> notListed = new ArrayList<>();
        for (int i = 0; i < unlisted; i++) {
            notListed.add(new Unlisted("registry.example", "team/r" + i, null, "unlisted-problem-" + i));
        }
        List<ImageResult> results = new ArrayList<>();
        for (int i = 0; i < errors; i++) {
            results.add(ImageResult.failed("registry.example", "team/broken", digest(i), List.of("v1"), "broken-" + i, "rev1", null));
        }
        List<ImageResult.SlaBreach> slaBreaches = new ArrayList<>();
        for (int i = 0; i < breaches; i++) {
            slaBreaches.add(new ImageResult.SlaBreach("CVE-2026-" + i, "high", "pkg:x", "breach-detail-" + i));
        }
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < ScanReportPage.MAX_TAGS_SHOWN + 7; i++) {
            tags.add("tag-" + i);
        }
        results.add(new ImageResult("registry.example", "team/old", digest(errors), tags, ImageResult.Status.DENY, null, "rev1",
                List.of(), List.of(), List.of(), 0, slaBreaches, null));
        ScanPlan plan = new ScanPlan(ScanId.next(STARTED), "registry.example", STARTED, results.size(), 1, 0, 0, notListed, false);
        String html = ScanReportPage.render(new ScanSummary(plan, STARTED, 1, 0, results), List.of());

        assertThat(html.split("unlisted-problem-", -1)).hasSize(ScanReportPage.MAX_TABLE_ROWS + 1);
        assertThat(html.split("breach-detail-", -1)).hasSize(ScanReportPage.MAX_TABLE_ROWS + 1);
        assertThat(html).contains("<h2>Images with errors (" + errors + ")</h2>", "<h2>Could not be listed (" + unlisted + ")</h2>",
                "<h2>SLA breaches (" + breaches + ")</h2>");
        assertThat(html).contains("and 500 more, listed in summary.json", "and 200 more, listed in summary.json",
                "and 300 more, listed in summary.json");
        assertThat(html).contains("tag-" + (ScanReportPage.MAX_TAGS_SHOWN - 1) + " and 7 more")
                .doesNotContain("tag-" + ScanReportPage.MAX_TAGS_SHOWN + ",");
    }
}
