package dev.gatehouse.vuln;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.testing.Fuzzing;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Scanner reports (Trivy, Grype, SARIF, cosign vuln predicate) parse or are refused with a MalformedInputException. */
class ScanReportsFuzzTest {

    static Stream<Arguments> reports() {
        String digest = "sha256:" + "ab".repeat(32);
        String trivy = """
                {"SchemaVersion": 2, "ArtifactName": "ghcr.io/acme/app@%s", "ArtifactType": "container_image",
                 "Metadata": {"RepoDigests": ["ghcr.io/acme/app@%s"]},
                 "Results": [{"Target": "app (debian 12)", "Class": "os-pkgs", "Type": "debian",
                   "Packages": [{"ID": "openssl@3.0.11", "Name": "openssl", "Version": "3.0.11", "Identifier": {"PURL": "pkg:deb/debian/openssl@3.0.11"}, "DependsOn": ["libc6@2.36"]}],
                   "Vulnerabilities": [{"VulnerabilityID": "CVE-2026-1000", "VendorIDs": ["DSA-1"], "PkgID": "openssl@3.0.11", "PkgName": "openssl",
                     "PkgIdentifier": {"PURL": "pkg:deb/debian/openssl@3.0.11"}, "InstalledVersion": "3.0.11", "FixedVersion": "3.0.13",
                     "Severity": "CRITICAL", "PublishedDate": "2026-01-01T00:00:00Z", "DataSource": {"ID": "debian", "URL": "https://x"},
                     "CVSS": {"nvd": {"V3Score": 9.8}}}]}]}
                """.formatted(digest, digest);
        String grype = """
                {"matches": [{"vulnerability": {"id": "GHSA-aaaa-bbbb-cccc", "severity": "High", "dataSource": "https://x",
                   "fix": {"versions": ["4.17.21"], "state": "fixed"}, "cvss": [{"metrics": {"baseScore": 7.5}, "vector": "CVSS:3.1/AV:N"}]},
                  "relatedVulnerabilities": [{"id": "CVE-2026-1001", "severity": "High"}],
                  "artifact": {"name": "lodash", "version": "4.17.20", "purl": "pkg:npm/lodash@4.17.20"}}],
                 "source": {"type": "image", "target": {"userInput": "ghcr.io/acme/app", "manifestDigest": "%s", "repoDigests": ["ghcr.io/acme/app@%s"]}},
                 "descriptor": {"name": "grype", "version": "0.80.0"}}
                """.formatted(digest, digest);
        String sarif = """
                {"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                 "runs": [{"tool": {"driver": {"name": "Trivy", "rules": [{"id": "CVE-2026-1000", "properties": {"security-severity": "9.8"},
                   "help": {"text": "Vulnerability CVE-2026-1000\\nSeverity: CRITICAL\\nPackage: openssl\\nFixed Version: 3.0.13"}}]}},
                  "results": [{"ruleId": "CVE-2026-1000", "ruleIndex": 0, "level": "error",
                    "message": {"text": "Package: openssl\\nInstalled Version: 3.0.11\\nVulnerability CVE-2026-1000\\nSeverity: CRITICAL\\nFixed Version: 3.0.13"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "ghcr.io/acme/app"}}, "logicalLocations": [{"fullyQualifiedName": "deb:openssl"}]}]}]}]}
                """;
        String cosignVuln = """
                {"_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://cosign.sigstore.dev/attestation/vuln/v1",
                 "subject": [{"name": "ghcr.io/acme/app", "digest": {"sha256": "%s"}}],
                 "predicate": {"invocation": {}, "scanner": {"uri": "pkg:github/aquasecurity/trivy@0.50.0", "version": "0.50.0", "result": %s},
                   "metadata": {"scanStartedOn": "2026-11-01T10:00:00Z", "scanFinishedOn": "2026-11-01T10:01:00Z"}}}
                """.formatted("ab".repeat(32), trivy);
        return Fuzzing.seeds(List.of(Fuzzing.utf8(trivy), Fuzzing.utf8(grype), Fuzzing.utf8(sarif), Fuzzing.utf8(cosignVuln)));
    }

    @MethodSource("reports")
    @FuzzTest
    void scanReportsParseOrAreRejected(byte[] input) throws Exception {
        Fuzzing.acceptOrReject(input, ScanReports::parse, MalformedInputException.class);
    }
}
