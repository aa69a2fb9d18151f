package dev.gatehouse.vex;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.testing.Fuzzing;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** VEX documents (OpenVEX JSON and YAML, CycloneDX VEX, CSAF VEX, in-toto wrapped) parse or are refused with a MalformedInputException. */
class VexDocumentsFuzzTest {

    private static final String PURL = "pkg:oci/app@sha256:" + "ab".repeat(32) + "?repository_url=ghcr.io/acme/app";

    static Stream<Arguments> documents() {
        String openVex = """
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://acme.example/vex/1", "author": "acme",
                 "timestamp": "2026-11-01T10:00:00Z", "version": 2,
                 "statements": [
                  {"vulnerability": {"name": "CVE-2026-1000", "aliases": ["GHSA-aaaa-bbbb-cccc"]},
                   "products": [{"@id": "%s", "subcomponents": [{"@id": "pkg:deb/debian/openssl@3.0.11"}]}],
                   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path", "timestamp": "2026-11-02T00:00:00Z"},
                  {"vulnerability": {"@id": "https://nvd.nist.gov/vuln/detail/CVE-2026-1001"}, "products": [{"@id": "pkg:npm/lodash@4.17.20"}],
                   "status": "affected", "action_statement": "upgrade"},
                  {"vulnerability": {"name": "CVE-2026-1002"}, "products": [{"@id": "pkg:pypi/django@4.2.0"}], "status": "fixed"}]}
                """.formatted(PURL);
        String openVexYaml = """
                "@context": https://openvex.dev/ns/v0.2.0
                "@id": https://acme.example/vex/2
                author: acme
                timestamp: 2026-11-01T10:00:00Z
                statements:
                  - vulnerability: {name: CVE-2026-1000}
                    products: [{"@id": "%s"}]
                    status: under_investigation
                """.formatted(PURL);
        String cycloneDx = """
                {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
                 "metadata": {"timestamp": "2026-11-01T10:00:00Z", "component": {"bom-ref": "app", "name": "app", "purl": "%s"}},
                 "components": [{"bom-ref": "openssl", "type": "library", "name": "openssl", "version": "3.0.11", "purl": "pkg:deb/debian/openssl@3.0.11"}],
                 "vulnerabilities": [
                  {"id": "CVE-2026-1000", "source": {"name": "NVD"},
                   "analysis": {"state": "not_affected", "justification": "code_not_reachable", "response": ["will_not_fix"], "detail": "d",
                                "firstIssued": "2026-11-01T10:00:00Z", "lastUpdated": "2026-11-02T10:00:00Z"},
                   "affects": [{"ref": "openssl", "versions": [{"range": "vers:deb/>=3.0.0|<3.0.13", "status": "affected"}, {"version": "3.0.13", "status": "unaffected"}]}]},
                  {"id": "CVE-2026-1001", "analysis": {"state": "exploitable"}, "affects": [{"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#openssl"}]}]}
                """.formatted(PURL);
        String csaf = """
                {"document": {"category": "csaf_vex", "csaf_version": "2.0", "title": "t",
                  "publisher": {"category": "vendor", "name": "acme", "namespace": "https://acme.example"},
                  "tracking": {"id": "ACME-2026-1", "status": "final", "version": "1", "initial_release_date": "2026-11-01T10:00:00Z",
                               "current_release_date": "2026-11-02T10:00:00Z", "revision_history": []}},
                 "product_tree": {"branches": [{"category": "vendor", "name": "acme", "branches": [{"category": "product_name", "name": "app",
                   "branches": [{"category": "product_version", "name": "1.2",
                     "product": {"product_id": "APP-1.2", "name": "app 1.2", "product_identification_helper": {"purl": "%s"}}}]}]}],
                  "full_product_names": [{"product_id": "OPENSSL", "name": "openssl", "product_identification_helper": {"cpe": "cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*"}}],
                  "relationships": [{"category": "default_component_of", "product_reference": "OPENSSL", "relates_to_product_reference": "APP-1.2",
                    "full_product_name": {"product_id": "APP-1.2:OPENSSL", "name": "openssl in app"}}],
                  "product_groups": [{"group_id": "G1", "product_ids": ["APP-1.2", "APP-1.2:OPENSSL"]}]},
                 "vulnerabilities": [{"cve": "CVE-2026-1000",
                   "product_status": {"known_not_affected": ["APP-1.2:OPENSSL"], "fixed": ["APP-1.2"], "known_affected": [], "under_investigation": []},
                   "flags": [{"label": "vulnerable_code_not_in_execute_path", "group_ids": ["G1"], "product_ids": ["APP-1.2"]}],
                   "threats": [{"category": "impact", "details": "none", "product_ids": ["APP-1.2:OPENSSL"]}],
                   "remediations": [{"category": "vendor_fix", "details": "upgrade", "product_ids": ["APP-1.2"]}]}]}
                """.formatted(PURL);
        String inToto = """
                {"_type": "https://in-toto.io/Statement/v1", "subject": [{"name": "app", "digest": {"sha256": "%s"}}],
                 "predicateType": "https://openvex.dev/ns/v0.2.0", "predicate": %s}
                """.formatted("ab".repeat(32), openVex);
        return Fuzzing.seeds(List.of(Fuzzing.utf8(openVex), Fuzzing.utf8(openVexYaml), Fuzzing.utf8(cycloneDx), Fuzzing.utf8(csaf),
                Fuzzing.utf8(inToto)));
    }

    @MethodSource("documents")
    @FuzzTest
    void vexDocumentsParseOrAreRejected(byte[] input) throws Exception {
        Fuzzing.acceptOrReject(input, bytes -> VexDocuments.parse(bytes, new VexSource.OperatorSupplied("fuzz")), MalformedInputException.class);
    }
}
