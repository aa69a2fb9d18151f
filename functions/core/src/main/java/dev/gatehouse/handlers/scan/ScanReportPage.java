package dev.gatehouse.handlers.scan;

import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.ImageEnumerator.Unlisted;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The scan report as one self-contained HTML page: inline SVG charts (decisions, CVEs by severity
 * over time, open CVEs, SLA breaches, policy failures by rule) and tables. No scripts, fonts or
 * other external resources; a Content-Security-Policy forbids them in case a value slips through.
 * Everything that comes from images or registries (names, tags, CVE ids, messages) is escaped.
 */
public final class ScanReportPage {

    /** Chart cells are laid out on a fixed grid so a screenshot can find them. */
    public static final int HEADER_HEIGHT = 80;
    public static final int CELL_WIDTH = 620;
    public static final int CELL_HEIGHT = 300;
    public static final int MARGIN = 20;
    public static final int CHARTS = 6;
    public static final int COLUMNS = 2;
    static final int MAX_IMAGE_ROWS = 5_000;
    /** Rows of each other table (errors, unlisted, SLA breaches, rules); summary.json has them all. */
    static final int MAX_TABLE_ROWS = 1_000;
    static final int MAX_TAGS_SHOWN = 10;

    static final Map<String, String> SEVERITY_COLOURS = Map.of("critical", "#b71c1c", "high", "#ef6c00", "medium", "#f9a825",
            "low", "#1e88e5", "negligible", "#78909c", "unknown", "#a1887f");
    static final Map<String, String> DECISION_COLOURS = Map.of("allow", "#2e7d32", "warn", "#f9a825", "deny", "#c62828",
            "error", "#6a1b9a");
    private static final String SLA_COLOUR = "#ad1457";
    private static final String RULE_COLOUR = "#5e35b1";
    private static final DateTimeFormatter POINT_LABEL = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private ScanReportPage() {}

    public static String render(ScanSummary summary, List<ScanHistory.Point> history) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Gatehouse compliance scan ").append(Html.escape(summary.scanId())).append("</title>")
                .append("<style>").append(STYLE).append("</style></head><body>");
        Map<ImageResult.Status, Integer> decisions = summary.decisions();
        html.append("<header><h1>Compliance scan ").append(Html.escape(summary.scanId())).append("</h1><p>")
                .append(Html.escape(summary.plan().source())).append(" \u00b7 started ").append(Html.escape(summary.plan().startedAt().toString()))
                .append(" \u00b7 finished ").append(Html.escape(summary.finishedAt().toString())).append(" \u00b7 ")
                .append(summary.results().size()).append(" images \u00b7 ")
                .append(summary.complete() ? "complete" : "<strong>incomplete: " + summary.batchesRecorded() + " of "
                        + summary.plan().batches() + " batches recorded</strong>")
                .append("</p></header>");

        html.append("<section class=\"charts\">");
        Map<String, Integer> decisionValues = new LinkedHashMap<>();
        decisions.forEach((s, c) -> decisionValues.put(s.label(), c));
        figure(html, "Decisions", SvgCharts.verticalBars("Images by decision", decisionValues, DECISION_COLOURS, "#607d8b"));

        List<String> labels = history.stream().map(p -> POINT_LABEL.format(p.startedAt())).toList();
        Map<String, int[]> cveSeries = new LinkedHashMap<>();
        for (String severity : List.of("critical", "high", "medium", "low")) {
            cveSeries.put(severity, history.stream().mapToInt(p -> p.cvesBySeverity().getOrDefault(severity, 0)).toArray());
        }
        figure(html, "Open CVEs by severity over time (last " + history.size() + " scans)",
                SvgCharts.lines("Open CVEs by severity over time", labels, cveSeries, SEVERITY_COLOURS));
        figure(html, "Open CVEs by severity (unique ids)", SvgCharts.verticalBars("Open CVEs by severity",
                summary.uniqueCvesBySeverity(), SEVERITY_COLOURS, "#607d8b"));
        figure(html, "SLA breaches by severity (" + summary.slaBreaches() + ")", SvgCharts.verticalBars("SLA breaches by severity",
                summary.slaBreachesBySeverity(), SEVERITY_COLOURS, SLA_COLOUR));
        Map<String, int[]> slaSeries = new LinkedHashMap<>();
        slaSeries.put("SLA breaches", history.stream().mapToInt(ScanHistory.Point::slaBreaches).toArray());
        slaSeries.put("denied images", history.stream().mapToInt(ScanHistory.Point::denied).toArray());
        figure(html, "SLA breaches and denied images over time", SvgCharts.lines("SLA breaches over time", labels, slaSeries,
                Map.of("SLA breaches", SLA_COLOUR, "denied images", DECISION_COLOURS.get("deny"))));
        Map<String, Integer> byRule = summary.deniedByRule().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        figure(html, "Policy failures by rule (images denied)", SvgCharts.horizontalBars("Policy failures by rule", byRule,
                RULE_COLOUR, "no policy failures"));
        html.append("</section><main>");

        totals(html, summary, decisions);
        errors(html, summary);
        unlisted(html, summary.plan().unlisted());
        slaBreaches(html, summary);
        rules(html, summary);
        images(html, summary);
        html.append("</main></body></html>\n");
        return html.toString();
    }

    private static void figure(StringBuilder html, String caption, String svg) {
        html.append("<figure><figcaption>").append(Html.escape(caption)).append("</figcaption>").append(svg).append("</figure>");
    }

    private static void totals(StringBuilder html, ScanSummary s, Map<ImageResult.Status, Integer> decisions) {
        html.append("<h2>Totals</h2><table class=\"totals\"><tbody>");
        row(html, "Images scanned", s.results().size() + (s.plan().images() != s.results().size() ? " of " + s.plan().images() : ""));
        decisions.forEach((status, count) -> row(html, "Decision " + status.label(), Integer.toString(count)));
        s.uniqueCvesBySeverity().forEach((sev, count) -> row(html, "Open CVEs, " + sev, count + " unique, "
                + s.openFindingsBySeverity().get(sev) + " findings"));
        row(html, "Findings suppressed by VEX", Integer.toString(s.suppressedFindings()));
        row(html, "SLA breaches", Integer.toString(s.slaBreaches()));
        row(html, "Skipped attachment manifests", Integer.toString(s.plan().skippedAttachments()));
        row(html, "Skipped untagged manifests", Integer.toString(s.plan().skippedUntagged()));
        row(html, "Repositories or tags that could not be listed", Integer.toString(s.plan().unlisted().size()));
        if (s.plan().truncated()) {
            row(html, "Listing", "truncated at the image limit");
        }
        if (s.listenerFailures() > 0) {
            row(html, "Listener failures", Integer.toString(s.listenerFailures()));
        }
        html.append("</tbody></table>");
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(Html.escape(value)).append("</td></tr>");
    }

    private static void errors(StringBuilder html, ScanSummary s) {
        List<ImageResult> errors = s.errors();
        html.append("<h2>Images with errors (").append(errors.size()).append(")</h2>");
        if (errors.isEmpty()) {
            html.append("<p class=\"none\">Every image was verified.</p>");
            return;
        }
        table(html, List.of("Image", "Tags", "Error"), errors.stream(), errors.size(), MAX_TABLE_ROWS, (out, r) ->
                out.append("<tr><td class=\"ref\">").append(Html.escape(r.pinnedReference())).append("</td><td>")
                        .append(Html.escape(tags(r))).append("</td><td>").append(Html.escape(r.error())).append("</td></tr>"));
    }

    private static void unlisted(StringBuilder html, List<Unlisted> unlisted) {
        if (unlisted.isEmpty()) {
            return;
        }
        html.append("<h2>Could not be listed (").append(unlisted.size()).append(")</h2>");
        table(html, List.of("Repository", "Tag", "Problem"), unlisted.stream(), unlisted.size(), MAX_TABLE_ROWS, (out, u) ->
                out.append("<tr><td class=\"ref\">").append(Html.escape(u.registry() + "/" + u.repository())).append("</td><td>")
                        .append(Html.escape(u.tag() == null ? "(all)" : u.tag())).append("</td><td>").append(Html.escape(u.problem()))
                        .append("</td></tr>"));
    }

    private static void slaBreaches(StringBuilder html, ScanSummary s) {
        html.append("<h2>SLA breaches (").append(s.slaBreaches()).append(")</h2>");
        if (s.slaBreaches() == 0) {
            html.append("<p class=\"none\">No fixable vulnerability is past its remediation SLA.</p>");
            return;
        }
        record Row(ImageResult image, ImageResult.SlaBreach breach) {}
        Stream<Row> rows = s.results().stream().flatMap(r -> r.slaBreaches().stream().map(b -> new Row(r, b)));
        table(html, List.of("Image", "Vulnerability", "Severity", "Component", "Detail"), rows, s.slaBreaches(), MAX_TABLE_ROWS,
                (out, row) -> out.append("<tr><td class=\"ref\">").append(Html.escape(row.image().pinnedReference())).append("</td><td>")
                        .append(Html.escape(row.breach().id())).append("</td><td><span class=\"sev ")
                        .append(Html.escape(row.breach().severity())).append("\">").append(Html.escape(row.breach().severity()))
                        .append("</span></td><td class=\"ref\">").append(Html.escape(row.breach().component())).append("</td><td>")
                        .append(Html.escape(row.breach().message())).append("</td></tr>"));
    }

    private static void rules(StringBuilder html, ScanSummary s) {
        Map<String, Integer> denied = s.deniedByRule();
        Map<String, Integer> warned = s.warnedByRule();
        Set<String> all = new TreeSet<>(denied.keySet());
        all.addAll(warned.keySet());
        html.append("<h2>Policy failures by rule</h2>");
        if (all.isEmpty()) {
            html.append("<p class=\"none\">No policy denied or warned.</p>");
            return;
        }
        List<String> ordered = new ArrayList<>(all);
        ordered.sort(Comparator.comparing((String r) -> -denied.getOrDefault(r, 0)).thenComparing(r -> r));
        table(html, List.of("Rule", "Images denied", "Images warned"), ordered.stream(), ordered.size(), MAX_TABLE_ROWS,
                (out, rule) -> out.append("<tr><td>").append(Html.escape(rule)).append("</td><td>").append(denied.getOrDefault(rule, 0))
                        .append("</td><td>").append(warned.getOrDefault(rule, 0)).append("</td></tr>"));
    }

    private static void images(StringBuilder html, ScanSummary s) {
        html.append("<h2>Images (").append(s.results().size()).append(")</h2>");
        table(html, List.of("Image", "Tags", "Decision", "Denied by", "Open CVEs", "SLA breaches", "Report"), s.results().stream(),
                s.results().size(), MAX_IMAGE_ROWS, (out, r) -> {
                    String denied = r.denials().stream().map(Violation::policy).distinct().collect(Collectors.joining(", "));
                    out.append("<tr><td class=\"ref\">").append(Html.escape(r.pinnedReference())).append("</td><td>")
                            .append(Html.escape(tags(r))).append("</td><td><span class=\"dec ")
                            .append(r.status().label()).append("\">").append(r.status().label()).append("</span></td><td>")
                            .append(Html.escape(r.status() == ImageResult.Status.ERROR ? r.error() : denied)).append("</td><td>")
                            .append(r.openCves().size()).append("</td><td>").append(r.slaBreaches().size())
                            .append("</td><td class=\"ref\">").append(Html.escape(r.reportKey() == null ? "" : r.reportKey()))
                            .append("</td></tr>");
                });
    }

    /** A table of the first {@code limit} rows; the rest are only counted under it (summary.json lists them all). */
    private static <T> void table(StringBuilder html, List<String> columns, Stream<T> rows, long total, int limit,
            BiConsumer<StringBuilder, T> row) {
        html.append("<table><thead><tr>");
        columns.forEach(c -> html.append("<th>").append(Html.escape(c)).append("</th>"));
        html.append("</tr></thead><tbody>");
        rows.limit(limit).forEach(r -> row.accept(html, r));
        html.append("</tbody></table>");
        if (total > limit) {
            html.append("<p class=\"none\">and ").append(total - limit).append(" more, listed in summary.json.</p>");
        }
    }

    /** One digest can carry thousands of tags; the page names the first few. */
    private static String tags(ImageResult r) {
        List<String> tags = r.tags();
        if (tags.size() <= MAX_TAGS_SHOWN) {
            return String.join(", ", tags);
        }
        return String.join(", ", tags.subList(0, MAX_TAGS_SHOWN)) + " and " + (tags.size() - MAX_TAGS_SHOWN) + " more";
    }

    private static final String STYLE = """
            body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#2b2f36;background:#fff}
            header{height:%dpx;box-sizing:border-box;padding:12px %dpx;overflow:hidden;border-bottom:1px solid #e3e6ea}
            h1{font-size:20px;margin:0 0 6px}
            header p{margin:0;font-size:13px;color:#555b66;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
            .charts{display:grid;grid-template-columns:repeat(%d,%dpx);grid-auto-rows:%dpx;padding:0 %dpx;gap:0}
            figure{margin:0;padding:8px 16px;box-sizing:border-box;overflow:hidden}
            figcaption{font-size:13px;font-weight:600;margin-bottom:4px;white-space:nowrap;overflow:hidden}
            main{padding:0 %dpx 40px}
            h2{font-size:16px;margin:28px 0 8px}
            table{border-collapse:collapse;font-size:13px;width:100%%;max-width:1400px}
            th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e3e6ea;vertical-align:top}
            thead th{background:#f5f6f8}
            table.totals{width:auto}
            .ref{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
            .none{color:#555b66;font-size:13px}
            .dec,.sev{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}
            .dec.allow{background:#2e7d32}.dec.warn{background:#f9a825;color:#222}.dec.deny{background:#c62828}.dec.error{background:#6a1b9a}
            .sev.critical{background:#b71c1c}.sev.high{background:#ef6c00}.sev.medium{background:#f9a825;color:#222}
            .sev.low{background:#1e88e5}.sev.negligible,.sev.unknown{background:#78909c}
            """.formatted(HEADER_HEIGHT, MARGIN, COLUMNS, CELL_WIDTH, CELL_HEIGHT, MARGIN, MARGIN);
}
