package dev.gatehouse.vuln;

import dev.gatehouse.io.JsonCursor;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.sbom.PackageUrl;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Grype's own JSON report ({@code grype IMAGE -o json}). */
final class GrypeJsonParser {

    private GrypeJsonParser() {}

    static ScanReport parse(JsonCursor root) throws MalformedInputException {
        JsonCursor target = root.field("source").field("target");
        ScanSubject subject = null;
        for (JsonCursor d : target.field("repoDigests").array()) {
            subject = subject != null ? subject : ScanSubject.fromReference(d.optText());
        }
        String manifest = target.field("manifestDigest").optText();
        if (subject == null && manifest != null && Digest.isDigest(manifest)) {
            String input = target.field("userInput").optText();
            String repo = input == null ? null : input.replaceFirst("[:@][^/]*$", "");
            subject = new ScanSubject(repo, Digest.parse(manifest));
        }
        List<ScannedFinding> findings = new ArrayList<>();
        JsonCursor matches = root.field("matches");
        List<JsonCursor> list = matches.array();
        for (int i = 0; i < list.size(); i++) {
            JsonCursor m = list.get(i).requireObject();
            JsonCursor v = m.field("vulnerability").requireObject();
            JsonCursor artifact = m.field("artifact");
            String id = v.field("id").text();
            Set<String> aliases = new LinkedHashSet<>();
            for (JsonCursor r : m.field("relatedVulnerabilities").array()) {
                String alias = r.field("id").optText();
                if (alias != null && !alias.equals(id)) {
                    aliases.add(alias);
                }
            }
            String purlText = artifact.field("purl").optText();
            PackageUrl purl = null;
            if (purlText != null && !purlText.isBlank()) {
                try {
                    purl = PackageUrl.parse(purlText);
                } catch (IllegalArgumentException e) {
                    throw artifact.field("purl").error(e.getMessage());
                }
            }
            BigDecimal score = null;
            String vector = null;
            List<JsonCursor> cvss = new ArrayList<>(v.field("cvss").array());
            for (JsonCursor r : m.field("relatedVulnerabilities").array()) {
                cvss.addAll(r.field("cvss").array());
            }
            for (JsonCursor c : cvss) {
                BigDecimal s = c.field("metrics").field("baseScore").optNumber();
                if (s != null && (score == null || s.compareTo(score) > 0)) {
                    score = s;
                    vector = c.field("vector").optText();
                }
            }
            JsonCursor fix = v.field("fix");
            Instant fixDate = null;
            for (JsonCursor a : fix.field("available").array()) {
                Instant t = a.field("date").optInstant();
                if (t != null && (fixDate == null || t.isBefore(fixDate))) {
                    fixDate = t;
                }
            }
            Finding f = new Finding(id, aliases, purl, artifact.field("name").optText(), artifact.field("version").optScalar(),
                    Severity.of(v.field("severity").optText()), score, vector, fix.field("versions").texts(),
                    v.field("published").optInstant(), fixDate, v.field("dataSource").optText());
            findings.add(new ScannedFinding(f, null, matches.pointer(), i, null, 0));
        }
        return new ScanReport(ScanFormat.GRYPE_JSON, root.node(), findings, subject, null, 1, null);
    }
}
