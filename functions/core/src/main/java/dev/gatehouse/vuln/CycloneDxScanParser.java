package dev.gatehouse.vuln;

import dev.gatehouse.io.JsonCursor;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.sbom.PackageUrl;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code vulnerabilities} of a CycloneDX document: one finding per affected component. Writing
 * back without a finding removes its {@code affects} entry, and the vulnerability once none is left.
 */
final class CycloneDxScanParser {

    private static final int MAX_DEPTH = 64;

    private CycloneDxScanParser() {}


    static ScanReport parse(JsonCursor root) throws MalformedInputException {
        root.requireObject();
        String serial = root.field("serialNumber").optText();
        int version = root.has("version") ? root.field("version").node().asInt(1) : 1;
        Map<String, ComponentGraph.Node> byRef = new HashMap<>();
        JsonCursor subjectComponent = root.field("metadata").field("component");
        if (subjectComponent.present()) {
            collect(subjectComponent, byRef, 0);
        }
        for (JsonCursor c : root.field("components").array()) {
            collect(c, byRef, 0);
        }
        ScanSubject subject = subject(subjectComponent);
        List<ScannedFinding> findings = new ArrayList<>();
        JsonCursor vulns = root.field("vulnerabilities");
        List<JsonCursor> list = vulns.array();
        for (int i = 0; i < list.size(); i++) {
            JsonCursor v = list.get(i).requireObject();
            String id = v.field("id").text();
            Set<String> aliases = new LinkedHashSet<>();
            for (JsonCursor r : v.field("references").array()) {
                String alias = r.field("id").optText();
                if (alias != null && !alias.equals(id)) {
                    aliases.add(alias);
                }
            }
            BigDecimal score = null;
            String vector = null;
            Severity severity = Severity.UNKNOWN;
            for (JsonCursor r : v.field("ratings").array()) {
                BigDecimal s = r.field("score").optNumber();
                Severity sev = Severity.of(r.field("severity").optText());
                if (sev.compareTo(severity) > 0) {
                    severity = sev;
                }
                if (s != null && (score == null || s.compareTo(score) > 0)) {
                    score = s;
                    vector = r.field("vector").optText();
                }
            }
            String dataSource = v.field("source").field("url").optText();
            if (dataSource == null) {
                dataSource = v.field("source").field("name").optText();
            }
            JsonCursor affects = v.field("affects");
            List<JsonCursor> refs = affects.array();
            for (int a = 0; a < refs.size(); a++) {
                String ref = refs.get(a).field("ref").text();
                ComponentGraph.Node c = byRef.get(ref);
                PackageUrl purl = c != null ? c.purl() : PackageUrl.tryParse(ref).orElse(null);
                List<String> fixed = new ArrayList<>();
                for (JsonCursor ver : refs.get(a).field("versions").array()) {
                    String exact = ver.field("version").optScalar();
                    if (exact != null && "unaffected".equals(ver.field("status").optText())) {
                        fixed.add(exact);
                    }
                }
                Finding f = new Finding(id, aliases, purl, c == null ? null : c.name(),
                        c != null && c.version() != null ? c.version() : purl == null ? null : purl.version(),
                        severity, score, vector, fixed, v.field("published").optInstant(), null, dataSource);
                findings.add(new ScannedFinding(f, ref, affects.pointer(), a, vulns.pointer(), i));
            }
        }
        return new ScanReport(ScanFormat.CYCLONEDX, root.node(), findings, subject, serial, version,
                graph(root, byRef, subjectComponent.field("bom-ref").optText()));
    }

    private static ComponentGraph graph(JsonCursor root, Map<String, ComponentGraph.Node> byRef, String rootRef)
            throws MalformedInputException {
        if (!root.has("dependencies")) {
            return null;
        }
        Map<String, List<String>> parents = new HashMap<>();
        for (JsonCursor d : root.field("dependencies").array()) {
            String from = d.field("ref").text();
            for (String to : d.field("dependsOn").texts()) {
                parents.computeIfAbsent(to, k -> new ArrayList<>()).add(from);
            }
        }
        return new ComponentGraph(rootRef, byRef, parents);
    }

    private static void collect(JsonCursor c, Map<String, ComponentGraph.Node> byRef, int depth) throws MalformedInputException {
        if (depth > MAX_DEPTH) {
            throw c.error("components nested deeper than " + MAX_DEPTH);
        }
        c.requireObject();
        String ref = c.field("bom-ref").optText();
        String purlText = c.field("purl").optText();
        PackageUrl purl = null;
        if (purlText != null && !purlText.isBlank()) {
            try {
                purl = PackageUrl.parse(purlText);
            } catch (IllegalArgumentException e) {
                throw c.field("purl").error(e.getMessage());
            }
        }
        if (ref != null) {
            byRef.putIfAbsent(ref, new ComponentGraph.Node(ref, purl, c.field("name").optText(), c.field("version").optScalar()));
        }
        for (JsonCursor child : c.field("components").array()) {
            collect(child, byRef, depth + 1);
        }
    }

    /** The image from an oci purl with a digest, or trivy's RepoDigest property. */
    private static ScanSubject subject(JsonCursor component) throws MalformedInputException {
        if (!component.present()) {
            return null;
        }
        PackageUrl purl = PackageUrl.tryParse(component.field("purl").optText()).orElse(null);
        if (purl != null && purl.type().equals("oci") && purl.version() != null && Digest.isDigest(purl.version())) {
            String repo = purl.qualifiers().getOrDefault("repository_url", purl.name());
            return new ScanSubject(repo, Digest.parse(purl.version()));
        }
        for (JsonCursor p : component.field("properties").array()) {
            if ("aquasecurity:trivy:RepoDigest".equals(p.field("name").optText())) {
                ScanSubject s = ScanSubject.fromReference(p.field("value").optText());
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }
}
