package dev.gatehouse.handlers.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.Digest;
import org.junit.jupiter.api.Test;

class ScanKeysTest {

    static final String SCAN = "20261127T040000Z-0123abcd";

    @Test
    void theReportsAreThePerImageResultsTheSummaryAndThePage() {
        assertThat(ScanKeys.isReport(ScanKeys.summary(SCAN))).isTrue();
        assertThat(ScanKeys.isReport(ScanKeys.html(SCAN))).isTrue();
        assertThat(ScanKeys.isReport(ScanKeys.image(SCAN, "127.0.0.1:5000", "team/app", Digest.sha256(new byte[] {1})))).isTrue();
    }

    @Test
    void theScansWorkingStateIsNotAReport() {
        assertThat(ScanKeys.isReport(ScanKeys.plan(SCAN))).isFalse();
        assertThat(ScanKeys.isReport(ScanKeys.batch(SCAN, 3))).isFalse();
        assertThat(ScanKeys.isReport(ScanKeys.history(SCAN))).isFalse();
        assertThat(ScanKeys.isReport("reports/summary.json")).isFalse();
        assertThat(ScanKeys.isReport("other/" + SCAN + "/summary.json")).isFalse();
    }
}
