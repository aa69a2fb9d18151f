package dev.gatehouse.vuln;

import dev.gatehouse.io.JsonCursor;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.sbom.PackageUrl;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Trivy's own JSON report ({@code trivy image --format json}). */
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
        for (JsonCursor result : root.field("Results").array()) {
            JsonCursor vulns = result.field("Vulnerabilities");
            List<JsonCursor> list = vulns.array();
            for (int i = 0; i < list.size(); i++) {
                JsonCursor v = list.get(i).requireObject();
                String id = v.field("VulnerabilityID").text();
                Set<String> aliases = new LinkedHashSet<>(v.field("VendorIDs").texts());
                aliases.remove(id);
                JsonCursor pkgId = v.field("PkgIdentifier");
                String purlText = pkgId.field("PURL").optText();
                PackageUrl purl = null;
                if (purlText != null) {
                    try {
                        purl = PackageUrl.parse(purlText);
                    } catch (IllegalArgumentException e) {
                        throw pkgId.field("PURL").error(e.getMessage());
                    }
                }
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
                findings.add(new ScannedFinding(f, pkgId.field("BOMRef").optText(), vulns.pointer(), i, null, 0));
            }
        }
        return new ScanReport(ScanFormat.TRIVY_JSON, root.node(), findings, subject, null, 1, null);
    }
}
