package dev.gatehouse.vex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.testing.Oracles;
import dev.gatehouse.vuln.ScanReport;
import dev.gatehouse.vuln.ScanReports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every value of real documents replaced by a value of the wrong type, and every document cut
 * short: the readers either accept the result or reject it with a {@link MalformedInputException}
 * naming the format; nothing else escapes.
 */
class MalformedInputTest {

    interface Reader {
        void read(byte[] content) throws MalformedInputException;
    }

    static final List<JsonNode> WRONG = List.of(JsonNodeFactory.instance.numberNode(7), JsonNodeFactory.instance.textNode(""),
            JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.nullNode(),
            JsonNodeFactory.instance.textNode("pkg:%zz"));

    static void mutateEverywhere(byte[] original, Reader reader, List<String> formats) throws Exception {
        JsonNode root = UntrustedJson.parse(original, "test");
        List<Consumer<JsonNode>> mutations = new ArrayList<>();
        collect(root, "", mutations);
        int step = Math.max(1, mutations.size() / 80);
        for (int i = 0; i < mutations.size(); i += step) {
            for (int w = 0; w < 3; w++) {
                JsonNode copy = root.deepCopy();
                mutations.get(i).accept(copy);
                byte[] bytes = UntrustedJson.mapper().writeValueAsBytes(copy);
                check(reader, bytes, formats, "mutation " + i + "/" + w);
            }
        }
        for (int cut = 1; cut < original.length; cut += Math.max(1, original.length / 20)) {
            check(reader, java.util.Arrays.copyOf(original, cut), formats, "cut at " + cut);
        }
    }

    private static int wrongIndex;

    private static void collect(JsonNode node, String pointer, List<Consumer<JsonNode>> out) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                String p = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
                out.add(copy -> {
                    JsonNode parent = copy.at(pointer.isEmpty() ? "" : pointer);
                    ((ObjectNode) parent).set(name, WRONG.get(wrongIndex++ % WRONG.size()).deepCopy());
                });
                collect(node.get(name), p, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                final int index = i;
                out.add(copy -> ((ArrayNode) copy.at(pointer)).set(index, WRONG.get(wrongIndex++ % WRONG.size()).deepCopy()));
                collect(node.get(i), pointer + "/" + i, out);
            }
        }
    }

    private static void check(Reader reader, byte[] bytes, List<String> formats, String what) {
        try {
            reader.read(bytes);
        } catch (MalformedInputException e) {
            assertThat(formats).as(what + ": " + e.getMessage()).anyMatch(f -> e.getMessage().startsWith(f));
        } catch (RuntimeException e) {
            fail(what + " of " + new String(bytes, StandardCharsets.UTF_8).substring(0, Math.min(bytes.length, 200)) + " threw " + e, e);
        }
    }

    static final List<String> VEX_FORMATS = List.of("OpenVEX", "CycloneDX VEX", "CSAF VEX", "VEX document");
    static final List<String> SCAN_FORMATS = List.of("SARIF 2.1", "Trivy JSON", "Grype JSON", "CycloneDX vulnerabilities",
            "cosign vuln predicate", "scan report");

    static void vex(byte[] content) throws MalformedInputException {
        VexDocument d = VexDocuments.parse(content, new VexSource.OperatorSupplied("fuzz"));
        try {
            VexMerger.merge(List.of(d));
        } catch (VexMergeException e) {
            // a timeless statement is a merge refusal, not a parse failure
        }
    }

    static void scan(byte[] content) throws MalformedInputException {
        ScanReport r = ScanReports.parse(content);
        new VexApplication(MergedVex.empty(), VexPolicy.defaults()).decide(r, null);
        r.without(r.findings());
    }

    @Test
    void vexReadersRejectCleanly() throws Exception {
        for (String f : List.of("vex/trivy-vex/openvex-nested.json", "vex/trivy-vex/cyclonedx.json", "vex/trivy-vex/csaf-relationships.json",
                "vex/cyclonedx-vex/CISA-Use-Cases/Case-7/vex.json", "vex/csaf/examples/2022-evd-uc-03-ms-001.json",
                "vex/go-vex/v001-1.vex.json", "vex/openvex-spec/openvex-spec-example_4_spring-log4shell.normalized.json")) {
            mutateEverywhere(Files.readAllBytes(Oracles.require(f)), MalformedInputTest::vex, VEX_FORMATS);
        }
    }

    @Test
    void scanReadersRejectCleanly() throws Exception {
        Path golden = Oracles.require("sbom/trivy-fixtures/fluentd-multiple-lockfiles-short.cdx.json.golden");
        mutateEverywhere(Files.readAllBytes(golden), MalformedInputTest::scan, SCAN_FORMATS);
        String sarif = """
                {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Trivy", "rules": [{"id": "CVE-1",
                  "help": {"text": "Vulnerability CVE-1\\nSeverity: LOW\\nPackage: a\\nFixed Version: 2"}, "properties": {"security-severity": "5.0"}}]}},
                  "properties": {"imageName": "nginx@sha256:%s", "repoDigests": ["nginx@sha256:%s"]},
                  "results": [{"ruleId": "CVE-1", "ruleIndex": 0, "level": "note", "message": {"text": "Package: a\\nInstalled Version: 1"},
                    "locations": [{"logicalLocations": [{"fullyQualifiedName": "nginx@sha256:%s:/x"}]}]}]}]}
                """.formatted("a".repeat(64), "a".repeat(64), "a".repeat(64));
        String trivy = """
                {"SchemaVersion": 2, "ArtifactName": "x", "Metadata": {"RepoDigests": ["x@sha256:%s"]},
                 "Results": [{"Packages": [{"ID": "a@1", "Identifier": {"PURL": "pkg:npm/a@1"}, "DependsOn": ["b@1"]}, {"ID": "b@1"}],
                   "Vulnerabilities": [{"VulnerabilityID": "CVE-1", "PkgID": "b@1", "VendorIDs": ["X-1"], "PkgIdentifier": {"PURL": "pkg:npm/b@1"},
                   "CVSS": {"nvd": {"V3Score": 5.0, "V3Vector": "v"}}, "FixedVersion": "2", "PublishedDate": "2024-01-01T00:00:00Z",
                   "DataSource": {"ID": "ghsa", "URL": "u"}}]}]}
                """.formatted("b".repeat(64));
        String grype = """
                {"matches": [{"vulnerability": {"id": "CVE-1", "severity": "High", "published": "2024-01-01T00:00:00Z",
                  "fix": {"versions": ["2"], "available": [{"version": "2", "date": "2024-02-01T00:00:00Z"}]},
                  "cvss": [{"vector": "v", "metrics": {"baseScore": 9.1}}]}, "relatedVulnerabilities": [{"id": "GHSA-1", "cvss": []}],
                  "artifact": {"name": "a", "version": "1", "purl": "pkg:npm/a@1"}}],
                 "source": {"type": "image", "target": {"userInput": "x:1", "manifestDigest": "sha256:%s", "repoDigests": ["x@sha256:%s"]}}}
                """.formatted("c".repeat(64), "c".repeat(64));
        String cosign = """
                {"_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://cosign.sigstore.dev/attestation/vuln/v1",
                 "subject": [{"name": "x", "digest": {"sha256": "%s"}}],
                 "predicate": {"invocation": {}, "scanner": {"uri": "u", "result": %s}}}
                """.formatted("d".repeat(64), trivy);
        for (String doc : List.of(sarif, trivy, grype, cosign)) {
            mutateEverywhere(doc.getBytes(StandardCharsets.UTF_8), MalformedInputTest::scan, SCAN_FORMATS);
        }
    }
}
