package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VexFilterCommandTest {

    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    static String openVex(String vuln, String product, String status, String extra) {
        return """
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex-1", "author": "ops",
                 "timestamp": "2024-01-01T00:00:00Z", "version": 1,
                 "statements": [{"vulnerability": {"name": "%s"}, "products": [{"@id": "%s"}], "status": "%s"%s}]}
                """.formatted(vuln, product, status, extra);
    }

    static String trivyReport() {
        return """
                {"SchemaVersion": 2, "ArtifactName": "ghcr.io/acme/app:1", "ArtifactType": "container_image",
                 "Metadata": {"RepoDigests": ["ghcr.io/acme/app@%s"]},
                 "Results": [{"Target": "app", "Vulnerabilities": [
                   {"VulnerabilityID": "CVE-2024-0001", "PkgName": "openssl", "InstalledVersion": "3.0.1",
                    "PkgIdentifier": {"PURL": "pkg:deb/debian/openssl@3.0.1?distro=debian-12"}, "Severity": "HIGH",
                    "FixedVersion": "3.0.2", "CVSS": {"nvd": {"V3Score": 7.5, "V3Vector": "CVSS:3.1/AV:N"}}},
                   {"VulnerabilityID": "CVE-2024-0002", "PkgName": "zlib", "InstalledVersion": "1.2",
                    "PkgIdentifier": {"PURL": "pkg:deb/debian/zlib@1.2?distro=debian-12"}, "Severity": "LOW"}]}]}
                """.formatted(DIGEST);
    }

    @Test
    void imageStatementRemovesTheResultFromATrivyReportAndExplainSaysWhy() throws Exception {
        Path vex = write("vex.json", openVex("CVE-2024-0001", "pkg:oci/app@" + DIGEST.replace(":", "%3A"), "not_affected",
                ", \"justification\": \"vulnerable_code_not_in_execute_path\""));
        Path scan = write("scan.json", trivyReport());
        CliRun run = CliRun.of("vex", "filter", "--explain", "--vex", vex.toString(), scan.toString());
        assertThat(run.exitCode()).isZero();
        JsonNode out = JSON.readTree(run.out());
        assertThat(out.at("/Results/0/Vulnerabilities")).hasSize(1);
        assertThat(out.at("/Results/0/Vulnerabilities/0/VulnerabilityID").asText()).isEqualTo("CVE-2024-0002");
        assertThat(out.at("/ArtifactName").asText()).isEqualTo("ghcr.io/acme/app:1");
        assertThat(run.err()).contains("suppressed CVE-2024-0001 in pkg:deb/debian/openssl", "vulnerable_code_not_in_execute_path",
                "supplied by the operator", "1 of 2 results suppressed");
    }

    @Test
    void statementForAnotherImageRemovesNothing() throws Exception {
        Path vex = write("vex.json", openVex("CVE-2024-0001", "pkg:oci/app@sha256%3A" + "cd".repeat(32), "not_affected",
                ", \"justification\": \"component_not_present\""));
        CliRun run = CliRun.of("vex", "filter", "--vex", vex.toString(), write("scan.json", trivyReport()).toString());
        assertThat(run.exitCode()).isZero();
        assertThat(JSON.readTree(run.out()).at("/Results/0/Vulnerabilities")).hasSize(2);
    }

    @Test
    void productOptionNamesTheScannedImageWhenTheReportDoesNot() throws Exception {
        String report = trivyReport().replace("\"RepoDigests\": [\"ghcr.io/acme/app@" + DIGEST + "\"]", "\"RepoDigests\": []");
        Path vex = write("vex.json", openVex("CVE-2024-0002", "pkg:oci/app@" + DIGEST.replace(":", "%3A"), "fixed", ""));
        Path scan = write("scan.json", report);
        assertThat(JSON.readTree(CliRun.of("vex", "filter", "--vex", vex.toString(), scan.toString()).out())
                .at("/Results/0/Vulnerabilities")).hasSize(2);
        CliRun named = CliRun.of("vex", "filter", "--vex", vex.toString(), "--product", "ghcr.io/acme/app@" + DIGEST, scan.toString());
        assertThat(JSON.readTree(named.out()).at("/Results/0/Vulnerabilities")).hasSize(1);
    }

    @Test
    void suppressingStatusesAreASetting() throws Exception {
        Path vex = write("vex.json", openVex("CVE-2024-0002", "pkg:deb/debian/zlib", "under_investigation", ""));
        Path scan = write("scan.json", trivyReport());
        assertThat(JSON.readTree(CliRun.of("vex", "filter", "--vex", vex.toString(), scan.toString()).out())
                .at("/Results/0/Vulnerabilities")).hasSize(2);
        CliRun run = CliRun.of("vex", "filter", "--suppress", "not_affected,fixed,under_investigation", "--vex", vex.toString(), scan.toString());
        assertThat(JSON.readTree(run.out()).at("/Results/0/Vulnerabilities")).hasSize(1);
    }

    @Test
    void grypeMatchesAreFilteredByPackagePurl() throws Exception {
        String grype = """
                {"matches": [
                  {"vulnerability": {"id": "GHSA-aaaa-bbbb-cccc", "severity": "High", "fix": {"versions": ["2.0.0"], "state": "fixed"},
                    "cvss": [{"version": "3.1", "vector": "CVSS:3.1/AV:N", "metrics": {"baseScore": 8.1}}]},
                   "relatedVulnerabilities": [{"id": "CVE-2024-1111"}],
                   "artifact": {"name": "lodash", "version": "1.0.0", "type": "npm", "purl": "pkg:npm/lodash@1.0.0"}},
                  {"vulnerability": {"id": "CVE-2024-2222", "severity": "Low"},
                   "artifact": {"name": "left-pad", "version": "1.0.0", "type": "npm", "purl": "pkg:npm/left-pad@1.0.0"}}],
                 "source": {"type": "directory", "target": "."}, "descriptor": {"name": "grype"}}
                """;
        Path vex = write("vex.json", openVex("CVE-2024-1111", "pkg:npm/lodash", "not_affected", ", \"impact_statement\": \"not loaded\""));
        CliRun run = CliRun.of("vex", "filter", "--vex", vex.toString(), write("grype.json", grype).toString());
        assertThat(run.exitCode()).isZero();
        JsonNode out = JSON.readTree(run.out());
        assertThat(out.at("/matches")).hasSize(1);
        assertThat(out.at("/matches/0/vulnerability/id").asText()).isEqualTo("CVE-2024-2222");
    }

    @Test
    void sarifResultsAreRemovedAndRulesKept() throws Exception {
        String sarif = """
                {"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": [{
                  "tool": {"driver": {"name": "Grype", "rules": [
                    {"id": "CVE-2024-0001-openssl", "help": {"text": "Vulnerability CVE-2024-0001\\nSeverity: high\\nPackage: openssl\\nVersion: 3.0.1\\nFix Version: 3.0.2\\nType: deb\\nData Namespace: debian:distro:debian:12"}},
                    {"id": "CVE-2024-0002-zlib", "help": {"text": "Vulnerability CVE-2024-0002\\nSeverity: low\\nPackage: zlib\\nVersion: 1.2\\nType: deb\\nData Namespace: debian:distro:debian:12"}}]}},
                  "results": [
                    {"ruleId": "CVE-2024-0001-openssl", "message": {"text": "openssl"}},
                    {"ruleId": "CVE-2024-0002-zlib", "message": {"text": "zlib"}}]}]}
                """;
        Path vex = write("vex.json", """
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "ops", "timestamp": "2024-01-01T00:00:00Z",
                 "statements": [{"vulnerability": {"name": "CVE-2024-0001"},
                   "products": [{"@id": "pkg:oci/app", "subcomponents": [{"@id": "pkg:deb/debian/openssl"}]}],
                   "status": "not_affected", "justification": "vulnerable_code_not_present"}]}
                """);
        Path scan = write("scan.sarif", sarif);
        CliRun unnamed = CliRun.of("vex", "filter", "--vex", vex.toString(), scan.toString());
        assertThat(JSON.readTree(unnamed.out()).at("/runs/0/results")).hasSize(2);
        CliRun run = CliRun.of("vex", "filter", "--vex", vex.toString(), "--product", "pkg:oci/app@" + DIGEST, scan.toString());
        JsonNode out = JSON.readTree(run.out());
        assertThat(out.at("/runs/0/results")).hasSize(1);
        assertThat(out.at("/runs/0/results/0/ruleId").asText()).isEqualTo("CVE-2024-0002-zlib");
        assertThat(out.at("/runs/0/tool/driver/rules")).hasSize(2);
    }

    @Test
    void snykContainerSarifNamesItsImageAndMatchesStatementsByAliasOrDescribedCve() throws Exception {
        String hex = DIGEST.substring("sha256:".length());
        String sarif = """
                {"version": "2.1.0", "runs": [{
                  "tool": {"driver": {"name": "Snyk Container", "rules": [
                    {"id": "SNYK-DEBIAN12-LIBDE265-3361563", "fullDescription": {"text": "(CVE-2023-27103) libde265/libde265-0@1.0.11-1"}},
                    {"id": "SNYK-DEBIAN12-SHADOW-1559391", "fullDescription": {"text": "(CVE-2007-5686) shadow/passwd@1:4.13+dfsg1-1+b1"}},
                    {"id": "SNYK-DEBIAN12-ZLIB-6008963", "fullDescription": {"text": "(CVE-2023-45853) zlib/zlib1g@1:1.2.13.dfsg-1"}}]}},
                  "results": [
                    {"ruleId": "SNYK-DEBIAN12-LIBDE265-3361563", "level": "note", "message": {"text": "libde265"},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app@sha256_HEX"}}}]},
                    {"ruleId": "SNYK-DEBIAN12-SHADOW-1559391", "level": "note", "message": {"text": "shadow"},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app@sha256_HEX"}}}]},
                    {"ruleId": "SNYK-DEBIAN12-ZLIB-6008963", "level": "note", "message": {"text": "zlib"},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app@sha256_HEX"}}}]}]},
                  {"tool": {"driver": {"name": "Snyk Container", "rules": []}}, "results": []}]}
                """.replace("HEX", hex);
        Path vex = write("vex.json", """
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "ops", "timestamp": "2024-01-01T00:00:00Z",
                 "statements": [
                   {"vulnerability": {"name": "CVE-2023-27103", "aliases": ["SNYK-DEBIAN12-LIBDE265-3361563"]},
                    "products": [{"@id": "pkg:oci/app@sha256%3AHEX"}], "status": "not_affected", "justification": "component_not_present"},
                   {"vulnerability": {"name": "CVE-2007-5686"}, "products": [{"@id": "pkg:oci/app@sha256%3AHEX"}], "status": "fixed"},
                   {"vulnerability": {"name": "CVE-2023-45853"}, "products": [{"@id": "pkg:oci/other@sha256%3A%s"}], "status": "fixed"}]}
                """.replace("HEX", hex).replace("%s", "0".repeat(64)));
        CliRun run = CliRun.of("vex", "filter", "--vex", vex.toString(), write("snyk.sarif", sarif).toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode out = JSON.readTree(run.out());
        assertThat(out.at("/runs/0/results")).as("the zlib statement is about another image").hasSize(1);
        assertThat(out.at("/runs/0/results/0/ruleId").asText()).isEqualTo("SNYK-DEBIAN12-ZLIB-6008963");
        assertThat(out.at("/runs")).hasSize(2);
    }

    @Test
    void cosignPredicateIsWrittenBackWithTheInnerReportFiltered() throws Exception {
        String statement = """
                {"_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://cosign.sigstore.dev/attestation/vuln/v1",
                 "subject": [{"name": "ghcr.io/acme/app", "digest": {"sha256": "%s"}}],
                 "predicate": {"invocation": {"uri": "x"}, "scanner": {"uri": "pkg:github/aquasecurity/trivy@0.50.0", "version": "0.50.0",
                   "result": %s}, "metadata": {"scanStartedOn": "2024-01-01T00:00:00Z", "scanFinishedOn": "2024-01-01T00:01:00Z"}}}
                """.formatted("ab".repeat(32), trivyReport().replace("\"RepoDigests\": [\"ghcr.io/acme/app@" + DIGEST + "\"]", "\"RepoDigests\": []"));
        Path vex = write("vex.json", openVex("CVE-2024-0001", "ghcr.io/acme/app@" + DIGEST, "fixed", ""));
        CliRun run = CliRun.of("vex", "filter", "--vex", vex.toString(), write("att.json", statement).toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode out = JSON.readTree(run.out());
        assertThat(out.at("/predicate/scanner/result/Results/0/Vulnerabilities")).hasSize(1);
        assertThat(out.at("/predicateType").asText()).isEqualTo("https://cosign.sigstore.dev/attestation/vuln/v1");
    }

    @Test
    void cycloneDxVulnerabilitiesLoseTheSuppressedOnes() throws Exception {
        String root = System.getProperty("gatehouse.oracles");
        Path golden = root == null ? null : Path.of(root, "sbom/trivy-fixtures/fluentd-multiple-lockfiles-short.cdx.json.golden");
        assumeTrue(golden != null && Files.exists(golden), "oracle data not present: sbom/trivy-fixtures (gatehouse.oracles=" + root + ")");
        Path vex = write("vex.json", openVex("CVE-2019-18276", "pkg:deb/debian/bash", "not_affected",
                ", \"justification\": \"vulnerable_code_not_in_execute_path\""));
        CliRun run = CliRun.of("vex", "filter", "--explain", "--vex", vex.toString(), golden.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode out = JSON.readTree(run.out());
        assertThat(out.at("/vulnerabilities")).hasSize(2);
        assertThat(out.at("/vulnerabilities").findValuesAsText("id")).doesNotContain("CVE-2019-18276");
        assertThat(out.at("/components").size()).isEqualTo(JSON.readTree(golden.toFile()).at("/components").size());
        assertThat(run.err()).contains("suppressed CVE-2019-18276 in pkg:deb/debian/bash@5.0-4");
    }

    @Test
    void malformedScansOfEveryFormatGiveOneLineNamingFormatAndPlace() throws Exception {
        Path vex = write("vex.json", openVex("CVE-1", "pkg:npm/a", "fixed", ""));
        String[][] cases = {
            {"{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"ruleId\": 5}]}]}", "SARIF 2.1 at /runs/0/results/0/ruleId"},
            {"{\"SchemaVersion\": 2, \"Results\": [{\"Vulnerabilities\": [{\"PkgName\": \"x\"}]}]}", "Trivy JSON at /Results/0/Vulnerabilities/0/VulnerabilityID"},
            {"{\"matches\": [{\"vulnerability\": []}], \"source\": {}}", "Grype JSON at /matches/0/vulnerability"},
            {"{\"bomFormat\": \"CycloneDX\", \"vulnerabilities\": [{\"id\": \"CVE-1\", \"affects\": [{\"ref\": 1}]}]}", "CycloneDX vulnerabilities at /vulnerabilities/0/affects/0/ref"},
            {"{\"predicateType\": \"https://cosign.sigstore.dev/attestation/vuln/v1\", \"predicate\": {\"scanner\": {\"result\": {\"x\": 1}}}}", "cosign vuln predicate at /predicate/scanner/result"},
            {"{\"SchemaVersion\": 2, \"Results\": [", "scan report at line"},
            {"{\"hello\": 1}", "scan report at /: not SARIF"},
        };
        for (String[] c : cases) {
            CliRun run = CliRun.of("vex", "filter", "--vex", vex.toString(), write("bad.json", c[0]).toString());
            assertThat(run.exitCode()).as(c[0]).isEqualTo(2);
            assertThat(run.err().strip()).as(c[0]).doesNotContain("\n").doesNotContain("Exception").contains(c[1]);
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void malformedVexOfEveryFormatGivesOneLineNamingFormatAndPlace() throws Exception {
        Path scan = write("scan.json", trivyReport());
        String[][] cases = {
            {"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"timestamp\": \"2024-01-01T00:00:00Z\", \"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"broken\"}]}",
                "OpenVEX at /statements/0/status"},
            {"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"timestamp\": \"yesterday\", \"statements\": []}", "OpenVEX at /timestamp"},
            {"{\"bomFormat\": \"CycloneDX\", \"vulnerabilities\": [{\"id\": \"CVE-1\", \"analysis\": {\"state\": \"maybe\"}}]}",
                "CycloneDX VEX at /vulnerabilities/0/analysis/state"},
            {"{\"document\": {\"category\": \"csaf_vex\", \"csaf_version\": \"2.0\", \"tracking\": {\"id\": \"x\"}}, \"vulnerabilities\": [{\"cve\": \"CVE-1\", \"product_status\": {}}]}",
                "CSAF VEX at /vulnerabilities/0/product_status"},
            {"{}", "unable to load VEX"},
            {"[1,", "VEX document at"},
        };
        for (String[] c : cases) {
            CliRun run = CliRun.of("vex", "filter", "--vex", write("bad-vex.json", c[0]).toString(), scan.toString());
            assertThat(run.exitCode()).as(c[0]).isEqualTo(2);
            assertThat(run.err().strip()).as(c[0]).doesNotContain("\n").doesNotContain("Exception").contains(c[1]).contains("bad-vex.json");
        }
    }

    static String cycloneDxScan(boolean secondPath) {
        String direct2 = secondPath ? """
                , {"bom-ref": "d2", "type": "library", "name": "go-direct2", "version": "v3.0.0",
                   "purl": "pkg:golang/github.com/aquasecurity/go-direct2@v3.0.0"}""" : "";
        String rootDeps = secondPath ? "[\"d1\", \"d2\"]" : "[\"d1\"]";
        String d2Deps = secondPath ? ", {\"ref\": \"d2\", \"dependsOn\": [\"t\"]}" : "";
        return """
                {"bomFormat": "CycloneDX", "specVersion": "1.5", "serialNumber": "urn:uuid:11111111-2222-3333-4444-555555555555", "version": 1,
                 "metadata": {"component": {"bom-ref": "root", "type": "container", "name": "ghcr.io/acme/app",
                   "purl": "pkg:oci/app@%s?repository_url=ghcr.io/acme/app"}},
                 "components": [
                   {"bom-ref": "d1", "type": "library", "name": "go-direct1", "version": "v2.0.0",
                    "purl": "pkg:golang/github.com/aquasecurity/go-direct1@v2.0.0"},
                   {"bom-ref": "t", "type": "library", "name": "go-transitive", "version": "v4.0.0",
                    "purl": "pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0"}%s],
                 "dependencies": [{"ref": "root", "dependsOn": %s}, {"ref": "d1", "dependsOn": ["t"]}%s],
                 "vulnerabilities": [{"id": "CVE-2024-0001", "ratings": [{"severity": "high", "score": 7.5}], "affects": [{"ref": "t"}]}]}
                """.formatted(DIGEST.replace(":", "%3A"), direct2, rootDeps, d2Deps);
    }

    @Test
    void nestedSubcomponentStatementNeedsEveryDependencyPathOfTheReport() throws Exception {
        Path vex = write("vex.json", """
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "n", "author": "a", "timestamp": "2024-01-01T00:00:00Z",
                 "statements": [{"vulnerability": {"name": "CVE-2024-0001"},
                   "products": [{"@id": "pkg:golang/github.com/aquasecurity/go-direct1@v2.0.0",
                     "subcomponents": [{"@id": "pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0"}]}],
                   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}
                """);
        CliRun single = CliRun.of("vex", "filter", "--vex", vex.toString(), write("one.cdx.json", cycloneDxScan(false)).toString());
        assertThat(single.exitCode()).as(single.err()).isZero();
        assertThat(JSON.readTree(single.out()).at("/vulnerabilities")).isEmpty();
        CliRun two = CliRun.of("vex", "filter", "--vex", vex.toString(), write("two.cdx.json", cycloneDxScan(true)).toString());
        assertThat(JSON.readTree(two.out()).at("/vulnerabilities")).hasSize(1);
    }

    @Test
    void imageStatementCoversEveryPathOfTheReport() throws Exception {
        Path vex = write("vex.json", openVex("CVE-2024-0001", "pkg:oci/app@" + DIGEST.replace(":", "%3A"), "not_affected",
                ", \"justification\": \"vulnerable_code_not_present\""));
        CliRun run = CliRun.of("vex", "filter", "--vex", vex.toString(), write("two.cdx.json", cycloneDxScan(true)).toString());
        assertThat(JSON.readTree(run.out()).at("/vulnerabilities")).isEmpty();
    }

    @Test
    void trivyOracleVexDocumentsApplyThroughTheReportsDependencyGraph() throws Exception {
        String root = System.getProperty("gatehouse.oracles");
        Path dirVex = root == null ? null : Path.of(root, "vex/trivy-vex");
        assumeTrue(dirVex != null && Files.exists(dirVex), "oracle data not present: vex/trivy-vex (gatehouse.oracles=" + root + ")");
        Path one = write("one.cdx.json", cycloneDxScan(false));
        Path two = write("two.cdx.json", cycloneDxScan(true));
        for (String file : java.util.List.of("openvex-nested.json", "csaf-relationships.json")) {
            String vex = dirVex.resolve(file).toString();
            assertThat(JSON.readTree(CliRun.of("vex", "filter", "--vex", vex, one.toString()).out()).at("/vulnerabilities")).as(file).isEmpty();
            assertThat(JSON.readTree(CliRun.of("vex", "filter", "--vex", vex, two.toString()).out()).at("/vulnerabilities")).as(file).hasSize(1);
        }
        String csaf = dirVex.resolve("csaf.json").toString();
        assertThat(JSON.readTree(CliRun.of("vex", "filter", "--vex", csaf, two.toString()).out()).at("/vulnerabilities")).isEmpty();
    }

    static String trivyWithPackages(boolean secondPath) {
        String d2 = secondPath ? """
                , {"ID": "github.com/aquasecurity/go-direct2@v3.0.0", "Name": "github.com/aquasecurity/go-direct2", "Version": "v3.0.0",
                   "Identifier": {"PURL": "pkg:golang/github.com/aquasecurity/go-direct2@v3.0.0"},
                   "DependsOn": ["github.com/aquasecurity/go-transitive@v4.0.0"]}""" : "";
        return """
                {"SchemaVersion": 2, "ArtifactName": "app", "Metadata": {"RepoDigests": ["ghcr.io/acme/app@%s"]},
                 "Results": [{"Target": "go.mod", "Packages": [
                   {"ID": "github.com/aquasecurity/go-direct1@v2.0.0", "Name": "github.com/aquasecurity/go-direct1", "Version": "v2.0.0",
                    "Identifier": {"PURL": "pkg:golang/github.com/aquasecurity/go-direct1@v2.0.0"},
                    "DependsOn": ["github.com/aquasecurity/go-transitive@v4.0.0"]},
                   {"ID": "github.com/aquasecurity/go-transitive@v4.0.0", "Name": "github.com/aquasecurity/go-transitive", "Version": "v4.0.0",
                    "Identifier": {"PURL": "pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0"}}%s],
                  "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-0001", "PkgID": "github.com/aquasecurity/go-transitive@v4.0.0",
                    "PkgName": "github.com/aquasecurity/go-transitive", "InstalledVersion": "v4.0.0",
                    "PkgIdentifier": {"PURL": "pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0"}, "Severity": "HIGH"}]}]}
                """.formatted(DIGEST, d2);
    }

    @Test
    void trivyPackageGraphDecidesNestedStatements() throws Exception {
        Path vex = write("vex.json", """
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "n", "author": "a", "timestamp": "2024-01-01T00:00:00Z",
                 "statements": [{"vulnerability": {"name": "CVE-2024-0001"},
                   "products": [{"@id": "pkg:golang/github.com/aquasecurity/go-direct1@v2.0.0",
                     "subcomponents": [{"@id": "pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0"}]}],
                   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}
                """);
        CliRun single = CliRun.of("vex", "filter", "--vex", vex.toString(), write("one.json", trivyWithPackages(false)).toString());
        assertThat(single.exitCode()).as(single.err()).isZero();
        assertThat(JSON.readTree(single.out()).at("/Results/0/Vulnerabilities")).isEmpty();
        CliRun two = CliRun.of("vex", "filter", "--vex", vex.toString(), write("two.json", trivyWithPackages(true)).toString());
        assertThat(JSON.readTree(two.out()).at("/Results/0/Vulnerabilities")).hasSize(1);
        Path image = write("image.json", openVex("CVE-2024-0001", "pkg:oci/app@" + DIGEST.replace(":", "%3A"), "fixed", ""));
        CliRun imageWide = CliRun.of("vex", "filter", "--vex", image.toString(), write("two.json", trivyWithPackages(true)).toString());
        assertThat(JSON.readTree(imageWide.out()).at("/Results/0/Vulnerabilities")).isEmpty();
    }

    @Test
    void missingFilesAreOneLineErrors() {
        CliRun run = CliRun.of("vex", "filter", "--vex", dir.resolve("none.json").toString(), dir.resolve("scan.json").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("none.json: no such file");
    }
}
