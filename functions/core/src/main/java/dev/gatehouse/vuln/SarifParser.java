package dev.gatehouse.vuln;

import dev.gatehouse.io.JsonCursor;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.sbom.PackageUrl;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SARIF 2.1 as grype, trivy and Snyk Container write it. The vulnerability id comes from the rule's
 * help text ("Vulnerability CVE-..."), else from the rule id (grype appends "-PACKAGE" to it; Snyk's
 * own ids stay, with the CVEs its rule description names as aliases); the package, version, fixed
 * version and severity from the help or message text; the image from trivy's run properties,
 * grype's logical locations or Snyk's artifact location ({@code name@sha256_<hex>}).
 */
final class SarifParser {

    private static final Pattern VULN_LINE = Pattern.compile("Vulnerability (\\S+)");
    private static final Pattern DESCRIBED_CVE = Pattern.compile("\\b(CVE-\\d{4}-\\d{4,})\\b");
    /** Snyk Container names the image as its artifact, the digest's colon written as an underscore. */
    private static final Pattern SNYK_IMAGE = Pattern.compile("^([^@\\s]+)@sha256_([0-9a-f]{64})$");
    private static final Pattern KNOWN_ID = Pattern.compile(
            "^((?:CVE|GO|PYSEC|RUSTSEC|OSV|RHSA|ALAS|ALSA|DSA|DLA|USN|ELSA)-\\d{4}-[\\w.:-]*?\\d+|GHSA(?:-[0-9a-z]{4}){3})(?=-|$)",
            Pattern.CASE_INSENSITIVE);

    private SarifParser() {}

    static ScanReport parse(JsonCursor root) throws MalformedInputException {
        ScanSubject subject = null;
        List<ScannedFinding> findings = new ArrayList<>();
        List<JsonCursor> runs = root.field("runs").array();
        for (JsonCursor run : runs) {
            run.requireObject();
            JsonCursor driver = run.field("tool").field("driver");
            List<JsonCursor> rules = driver.field("rules").array();
            Map<String, JsonCursor> rulesById = new HashMap<>();
            for (JsonCursor r : rules) {
                String id = r.field("id").optText();
                if (id != null) {
                    rulesById.putIfAbsent(id, r);
                }
            }
            JsonCursor props = run.field("properties");
            if (subject == null) {
                for (JsonCursor d : props.field("repoDigests").array()) {
                    subject = subject != null ? subject : ScanSubject.fromReference(d.optText());
                }
                if (subject == null) {
                    subject = ScanSubject.fromReference(props.field("imageName").optText());
                }
            }
            JsonCursor results = run.field("results");
            List<JsonCursor> list = results.array();
            for (int i = 0; i < list.size(); i++) {
                JsonCursor result = list.get(i).requireObject();
                String ruleId = result.field("ruleId").optText();
                JsonCursor rule = null;
                if (result.has("ruleIndex")) {
                    int index = result.field("ruleIndex").node().asInt(-1);
                    if (index < 0 || index >= rules.size()) {
                        throw result.field("ruleIndex").error("rule index " + index + " is outside the " + rules.size() + " rules");
                    }
                    rule = rules.get(index);
                } else if (ruleId != null) {
                    rule = rulesById.get(ruleId);
                }
                if (ruleId == null && rule != null) {
                    ruleId = rule.field("id").optText();
                }
                if (ruleId == null || ruleId.isBlank()) {
                    throw result.error("result has neither ruleId nor a rule with an id");
                }
                String help = rule == null ? "" : nullToEmpty(rule.field("help").field("text").optText());
                String message = nullToEmpty(result.field("message").field("text").optText());
                String text = help + "\n" + message;
                String id = vulnerabilityId(ruleId, text);
                String pkg = line(text, "Package");
                String version = firstNonNull(line(text, "Installed Version"), line(text, "Version"));
                String fixed = firstNonNull(line(text, "Fixed Version"), line(text, "Fix Version"));
                Severity severity = Severity.of(line(text, "Severity"));
                BigDecimal score = null;
                if (rule != null) {
                    String s = rule.field("properties").field("security-severity").optScalar();
                    if (s != null) {
                        try {
                            score = new BigDecimal(s.strip());
                        } catch (NumberFormatException e) {
                            throw rule.field("properties").field("security-severity").error("'" + s + "' is not a number");
                        }
                    }
                }
                if (severity == Severity.UNKNOWN) {
                    severity = Severity.of(result.field("level").optText());
                }
                PackageUrl purl = purl(line(text, "Type"), line(text, "Data Namespace"), pkg, version);
                if (subject == null) {
                    subject = fromLogicalLocations(result);
                }
                if (subject == null) {
                    subject = fromArtifactLocations(result);
                }
                Set<String> aliases = new LinkedHashSet<>();
                if (rule != null && !KNOWN_ID.matcher(id).find()) {
                    Matcher cve = DESCRIBED_CVE.matcher(nullToEmpty(rule.field("fullDescription").field("text").optText()));
                    while (cve.find() && aliases.size() < 16) {
                        aliases.add(cve.group(1));
                    }
                    aliases.remove(id);
                }
                Finding finding = new Finding(id, aliases, purl, pkg, version, severity, score, null,
                        fixed == null ? List.of() : List.of(fixed.split("\\s*,\\s*")), null, null, driver.field("name").optText());
                findings.add(new ScannedFinding(finding, null, results.pointer(), i, null, 0));
            }
        }
        return new ScanReport(ScanFormat.SARIF, root.node(), findings, subject, null, 1, null);
    }

    private static ScanSubject fromLogicalLocations(JsonCursor result) throws MalformedInputException {
        for (JsonCursor loc : result.field("locations").array()) {
            for (JsonCursor logical : loc.field("logicalLocations").array()) {
                ScanSubject s = ScanSubject.fromReference(logical.field("fullyQualifiedName").optText());
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    private static ScanSubject fromArtifactLocations(JsonCursor result) throws MalformedInputException {
        for (JsonCursor loc : result.field("locations").array()) {
            String uri = loc.field("physicalLocation").field("artifactLocation").field("uri").optText();
            Matcher m = uri == null ? null : SNYK_IMAGE.matcher(uri);
            if (m != null && m.matches()) {
                return ScanSubject.fromReference(m.group(1) + "@sha256:" + m.group(2));
            }
        }
        return null;
    }

    static String vulnerabilityId(String ruleId, String text) {
        Matcher m = VULN_LINE.matcher(text);
        if (m.find() && ruleId.startsWith(m.group(1))) {
            return m.group(1);
        }
        Matcher k = KNOWN_ID.matcher(ruleId.strip());
        if (k.find()) {
            return k.group(1);
        }
        return ruleId.strip();
    }

    private static String line(String text, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + ":[ \\t]*(.*?)[ \\t]*$").matcher(text);
        if (m.find() && !m.group(1).isEmpty()) {
            return m.group(1);
        }
        return null;
    }

    /** A purl for the package types grype names, when the data namespace gives the distribution. */
    private static PackageUrl purl(String type, String namespace, String name, String version) {
        if (type == null || name == null) {
            return null;
        }
        String distro = namespace == null ? null : namespace.split(":")[0];
        String purlType = switch (type) {
            case "deb", "apk", "rpm" -> distro == null ? null : type;
            case "npm", "gem", "cargo" -> type;
            case "python" -> "pypi";
            case "go-module" -> "golang";
            case "rust-crate" -> "cargo";
            default -> null;
        };
        if (purlType == null) {
            return null;
        }
        String ns = switch (purlType) {
            case "deb", "apk", "rpm" -> distro;
            case "golang" -> name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : null;
            default -> null;
        };
        String n = purlType.equals("golang") && name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
        try {
            return new PackageUrl(purlType, ns, n, version, Map.of(), null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
