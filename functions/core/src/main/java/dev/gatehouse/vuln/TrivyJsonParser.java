package dev.gatehouse.vuln;

import dev.gatehouse.io.JsonCursor;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.sbom.PackageUrl;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Trivy's own JSON report ({@code trivy image --format json}). With {@code --list-all-pkgs} the
 * packages and their {@code DependsOn} give the dependency graph (keyed per result by package id).
 */
final class TrivyJsonParser {

    private TrivyJsonParser() {}

    static ScanReport parse(JsonCursor root) throws MalformedInputException {
        ScanSubject subject = null;
        for (JsonCursor d : root.field("Metadata").field("RepoDigests").array()) {
            subject = subject != null ? subject : ScanSubject.fromReference(d.optText());
        }
        if (subject == null) {
            subject = ScanSubject.fromReference(root.field("ArtifactName").optText());
        }
        List<ScannedFinding> findings = new ArrayList<>();
        Map<String, ComponentGraph.Node> nodes = new HashMap<>();
        Map<String, List<String>> parents = new HashMap<>();
        List<JsonCursor> results = root.field("Results").array();
        for (int r = 0; r < results.size(); r++) {
            JsonCursor result = results.get(r);
            String prefix = r + ":";
            for (JsonCursor p : result.field("Packages").array()) {
                String pkgId = p.field("ID").optText();
                if (pkgId == null) {
                    continue;
                }
                PackageUrl purl = purl(p.field("Identifier").field("PURL"));
                nodes.putIfAbsent(prefix + pkgId, new ComponentGraph.Node(prefix + pkgId, purl, p.field("Name").optText(),
                        p.field("Version").optScalar()));
                for (String dep : p.field("DependsOn").texts()) {
                    parents.computeIfAbsent(prefix + dep, k -> new ArrayList<>()).add(prefix + pkgId);
                }
            }
            JsonCursor vulns = result.field("Vulnerabilities");
            List<JsonCursor> list = vulns.array();
            for (int i = 0; i < list.size(); i++) {
                JsonCursor v = list.get(i).requireObject();
                String id = v.field("VulnerabilityID").text();
                Set<String> aliases = new LinkedHashSet<>(v.field("VendorIDs").texts());
                aliases.remove(id);
                JsonCursor pkgId = v.field("PkgIdentifier");
                PackageUrl purl = purl(pkgId.field("PURL"));
                BigDecimal score = null;
                String vector = null;
                for (var source : v.field("CVSS").members()) {
                    BigDecimal s3 = source.getValue().field("V3Score").optNumber();
                    BigDecimal s = s3 != null ? s3 : source.getValue().field("V2Score").optNumber();
                    if (s != null && (score == null || s.compareTo(score) > 0)) {
                        score = s;
                        vector = s3 != null ? source.getValue().field("V3Vector").optText() : source.getValue().field("V2Vector").optText();
                    }
                }
                String fixed = v.field("FixedVersion").optText();
                String dataSource = v.field("DataSource").field("URL").optText();
                if (dataSource == null) {
                    dataSource = v.field("DataSource").field("ID").optText();
                }
                Finding f = new Finding(id, aliases, purl, v.field("PkgName").optText(), v.field("InstalledVersion").optText(),
                        Severity.of(v.field("Severity").optText()), score, vector,
                        fixed == null || fixed.isBlank() ? List.of() : List.of(fixed.split("\\s*,\\s*")),
                        v.field("PublishedDate").optInstant(), null, dataSource);
                String key = prefix + v.field("PkgID").optText();
                findings.add(new ScannedFinding(f, nodes.containsKey(key) ? key : null, vulns.pointer(), i, null, 0));
            }
        }
        ComponentGraph graph = nodes.isEmpty() ? null : new ComponentGraph(null, nodes, parents);
        return new ScanReport(ScanFormat.TRIVY_JSON, root.node(), findings, subject, null, 1, graph);
    }

    private static PackageUrl purl(JsonCursor field) throws MalformedInputException {
        String text = field.optText();
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return PackageUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw field.error(e.getMessage());
        }
    }
}
