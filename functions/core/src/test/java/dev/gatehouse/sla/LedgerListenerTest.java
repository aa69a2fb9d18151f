package dev.gatehouse.sla;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.FindingLedger;
import dev.gatehouse.ports.FindingLedger.Closure;
import dev.gatehouse.ports.TestClock;
import dev.gatehouse.ports.local.InMemoryFindingLedger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerListenerTest {

    private static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");
    private static final String CVE = "CVE-2026-7000";
    private static final String PURL = "pkg:deb/debian/libssl3@3.0.11";

    @Test
    void pushesAndScansFeedTheLedgerAndTheReportShowsTheCveClosed() throws Exception {
        FindingLedger ledger = new InMemoryFindingLedger();
        LedgerListener listener = new LedgerListener(ledger, SlaRules.hardened());
        Digest v1 = digest("base v1");
        Digest v2 = digest("base v2");

        listener.onVerified(PolicyInputs.image("127.0.0.1:5000", "gatehouse/base", v1, "latest", T0).scanned()
                .finding(CVE, PURL, "high", List.of("3.0.12"), null).verified("push"));
        listener.onVerified(PolicyInputs.image("127.0.0.1:5000", "gatehouse/base", v1, "latest", T0.plusSeconds(600)).scanned()
                .finding(CVE, PURL, "high", List.of("3.0.12"), null).verified("scan"));
        TestClock clock = new TestClock(T0.plus(Duration.ofHours(1)));
        assertThat(SlaReport.of(ledger, clock).totals().openFindings()).isEqualTo(1);

        listener.onVerified(PolicyInputs.image("127.0.0.1:5000", "gatehouse/base", v2, "latest", T0.plus(Duration.ofHours(2)))
                .scanned().verified("push"));
        clock.set(T0.plus(Duration.ofHours(3)));
        SlaReport report = SlaReport.of(ledger, clock);
        assertThat(report.totals().openFindings()).isZero();
        assertThat(report.closed(CVE)).singleElement().satisfies(c -> {
            assertThat(c.closed().closure()).isEqualTo(Closure.REMOVED);
            assertThat(c.closed().by()).isEqualTo(v2);
            assertThat(c.timeToFix()).isEqualTo(Duration.ofHours(2));
        });
    }

    @Test
    void replayingTheSameVerificationChangesNothing() throws Exception {
        FindingLedger ledger = new InMemoryFindingLedger();
        LedgerListener listener = new LedgerListener(ledger, SlaRules.hardened());
        var push = PolicyInputs.image("127.0.0.1:5000", "team/app", digest("app"), "1.0", T0).scanned()
                .finding(CVE, PURL, "critical", List.of("3.0.12"), null).verified("push");
        listener.onVerified(push);
        var entries = ledger.entries("127.0.0.1:5000/team/app", digest("app"));
        var images = ledger.images();
        listener.onVerified(push);
        listener.onVerified(push);
        assertThat(ledger.entries("127.0.0.1:5000/team/app", digest("app"))).isEqualTo(entries);
        assertThat(ledger.images()).isEqualTo(images);
    }

    private static Digest digest(String seed) {
        return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
    }
}
