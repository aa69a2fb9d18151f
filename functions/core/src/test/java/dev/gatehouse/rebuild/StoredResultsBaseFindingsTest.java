package dev.gatehouse.rebuild;

import static dev.gatehouse.rebuild.RebuildFixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.ports.local.InMemoryBlobStore;
import dev.gatehouse.ports.local.InMemoryResultStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoredResultsBaseFindingsTest {

    static final String REPORT = """
            {"decision":{"allowed":false},"input":{"vulnerabilities":{"findings":[
              {"id":"CVE-1","fix_available":true,"suppressed":false},
              {"id":"CVE-2","fix_available":false,"suppressed":true}]}}}
            """;

    final InMemoryResultStore results = new InMemoryResultStore();
    final InMemoryBlobStore blobs = new InMemoryBlobStore();
    final StoredResultsBaseFindings findings = new StoredResultsBaseFindings(OciRepositories.anonymous(), results, blobs);

    void store(Digest digest, ResultStore.Report report) {
        results.put(new ResultStore.VerificationResult("registry.test/base", digest, "rev1", Decision.Outcome.DENY, List.of(), report,
                Instant.parse("2026-11-26T10:00:00Z")));
    }

    @Test
    void openFindingsAndVerdictComeFromTheStoredReport() {
        store(digest("inline"), new ResultStore.InlineReport(REPORT));
        byte[] json = REPORT.getBytes(StandardCharsets.UTF_8);
        blobs.put("reports/big.json", json);
        store(digest("stored"), new ResultStore.StoredReport("reports/big.json", Digest.sha256(json), json.length));

        assertThat(findings.latest(digest("inline"))).contains(new BaseFindings.Verification(false, Set.of("CVE-1")));
        assertThat(findings.latest(digest("stored"))).contains(new BaseFindings.Verification(false, Set.of("CVE-1")));
        assertThat(findings.latest(digest("never"))).isEmpty();
    }

    @Test
    void aStoredReportThatDoesNotMatchItsDigestIsNotUsed() {
        blobs.put("reports/big.json", REPORT.getBytes(StandardCharsets.UTF_8));
        store(digest("tampered"), new ResultStore.StoredReport("reports/big.json", digest("other"), 10));
        assertThat(findings.latest(digest("tampered"))).isEmpty();
    }
}
