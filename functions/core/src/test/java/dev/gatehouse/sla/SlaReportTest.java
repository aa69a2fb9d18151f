package dev.gatehouse.sla;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.FindingLedger;
import dev.gatehouse.ports.FindingLedger.Closure;
import dev.gatehouse.ports.TestClock;
import dev.gatehouse.ports.local.InMemoryFindingLedger;
import dev.gatehouse.sla.SlaReport.EolState;
import dev.gatehouse.sla.SlaReport.ImageSla;
import dev.gatehouse.sla.SlaReport.OpenFinding;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlaReportTest {

    private static final String REGISTRY = "registry.example.com:5000";
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final String OPENSSL = "pkg:deb/debian/openssl@3.0.11";

    private FindingLedger ledger;
    private LedgerRecorder recorder;
    private TestClock clock;

    @BeforeEach
    void setUp() {
        ledger = new InMemoryFindingLedger();
        recorder = new LedgerRecorder(ledger);
        clock = new TestClock(T0);
    }

    @Test
    void hardenedRulesAreTheNumbersOfTheBundleData() throws Exception {
        SlaRules rules = SlaRules.hardened();
        JsonNode days = PolicyBundle.hardened().data().at("/gatehouse/settings/vulnerabilities/sla_days");
        for (String severity : List.of("critical", "high", "medium", "low", "negligible", "unknown")) {
            assertThat(rules.slaDays(severity, false)).as(severity).isEqualTo(days.get(severity).asInt());
        }
        assertThat(rules.slaDays("CRITICAL", false)).isEqualTo(7);
        assertThat(rules.slaDays("something-else", false)).isEqualTo(30);
        assertThat(rules.slaDays("medium", true)).isEqualTo(1);
    }

    @Test
    void aCriticalFindingBreachesOnceEightWholeDaysHavePassedSinceTheFix() throws Exception {
        String repo = record(PolicyInputs.image(REGISTRY, "team/app", digest("a"), "1.0", T0).scanned()
                .finding("CVE-2026-1000", OPENSSL, "critical", List.of("3.0.12"), null));

        clock.set(T0.plus(Duration.ofDays(8)).minusMillis(1));
        OpenFinding justInside = onlyOpen(SlaReport.of(ledger, clock));
        assertThat(justInside.ageDays()).isEqualTo(7);
        assertThat(justInside.breached()).isFalse();
        assertThat(justInside.breachStarts()).isEqualTo(T0.plus(Duration.ofDays(8)));

        clock.set(T0.plus(Duration.ofDays(8)));
        SlaReport report = SlaReport.of(ledger, clock);
        assertThat(onlyOpen(report).breached()).isTrue();
        assertThat(report.breaches()).hasSize(1);
        assertThat(report.totals().breachesBySeverity()).containsEntry("critical", 1);
        assertThat(report.image(repo, digest("a")).orElseThrow().breaches()).hasSize(1);
    }

    @Test
    void aMediumFindingHasThirtyDays() {
        record(PolicyInputs.image(REGISTRY, "team/app", digest("a"), "1.0", T0).scanned()
                .finding("CVE-2026-1001", OPENSSL, "medium", List.of("3.0.12"), null));
        clock.set(T0.plus(Duration.ofDays(31)).minusSeconds(1));
        assertThat(onlyOpen(SlaReport.of(ledger, clock)).breached()).isFalse();
        clock.set(T0.plus(Duration.ofDays(31)));
        assertThat(onlyOpen(SlaReport.of(ledger, clock)).breached()).isTrue();
    }

    @Test
    void theClockStartsAtTheScannersFixDateWhenItIsEarlier() {
        record(PolicyInputs.image(REGISTRY, "team/app", digest("a"), "1.0", T0).scanned()
                .finding("CVE-2026-1002", OPENSSL, "high", List.of("3.0.12"), T0.minus(Duration.ofDays(10)).toString()));
        OpenFinding f = onlyOpen(SlaReport.of(ledger, clock));
        assertThat(f.clockStart()).isEqualTo(T0.minus(Duration.ofDays(10)));
        assertThat(f.breached()).isTrue();
    }

    @Test
    void aFindingWithoutAFixIsOpenButNeverBreaches() {
        record(PolicyInputs.image(REGISTRY, "team/app", digest("a"), "1.0", T0).scanned()
                .finding("CVE-2026-1003", OPENSSL, "critical", List.of(), null));
        clock.set(T0.plus(Duration.ofDays(400)));
        SlaReport report = SlaReport.of(ledger, clock);
        assertThat(onlyOpen(report).clockStart()).isNull();
        assertThat(report.breaches()).isEmpty();
        assertThat(report.totals().openFindings()).isEqualTo(1);
        assertThat(report.totals().openWithFix()).isZero();
    }

    @Test
    void kevEntriesHaveOneDayByIdOrAlias() throws Exception {
        SlaRules rules = rulesWith("{\"gatehouse\": {\"kev\": [\"CVE-2026-2000\", \"CVE-2026-2001\"]}}");
        recorder.record(ImageObservation.fromPolicyInput(REGISTRY, "team/app", digest("a"), "1.0", T0,
                PolicyInputs.image(REGISTRY, "team/app", digest("a"), "1.0", T0).scanned()
                        .finding("CVE-2026-2000", OPENSSL, "low", List.of("3.0.12"), null)
                        .finding("GHSA-aaaa-bbbb-cccc", List.of("CVE-2026-2001"), "pkg:npm/lodash@4.17.20", "medium",
                                List.of("4.17.21"), null, null)
                        .finding("CVE-2026-2002", OPENSSL, "low", List.of("3.0.12"), null).input(), rules));
        clock.set(T0.plus(Duration.ofDays(2)));
        SlaReport report = SlaReport.of(ledger, rules, clock);
        assertThat(report.breaches()).extracting(b -> b.finding().vulnerability())
                .containsExactlyInAnyOrder("CVE-2026-2000", "GHSA-aaaa-bbbb-cccc");
        assertThat(report.breaches()).allSatisfy(b -> assertThat(b.kev()).isTrue());
        assertThat(report.totals().kevBreaches()).isEqualTo(2);
    }

    @Test
    void aKevListUpdatedAfterRecordingStillCounts() throws Exception {
        record(PolicyInputs.image(REGISTRY, "team/app", digest("a"), "1.0", T0).scanned()
                .finding("CVE-2026-2003", OPENSSL, "low", List.of("3.0.12"), null));
        clock.set(T0.plus(Duration.ofDays(2)));
        assertThat(SlaReport.of(ledger, clock).breaches()).isEmpty();
        assertThat(SlaReport.of(ledger, rulesWith("{\"gatehouse\": {\"kev\": [\"CVE-2026-2003\"]}}"), clock).breaches()).hasSize(1);
    }

    @Test
    void operatorOverridesOfTheBundleDataChangeTheSla() throws Exception {
        record(PolicyInputs.image(REGISTRY, "team/app", digest("a"), "1.0", T0).scanned()
                .finding("CVE-2026-3000", OPENSSL, "critical", List.of("3.0.12"), null)
                .finding("CVE-2026-3001", OPENSSL, "critical", List.of("3.0.12"), null));
        SlaRules rules = rulesWith("""
                {"gatehouse": {"settings": {"vulnerabilities": {"sla_days": {"critical": 2}, "ignore": ["CVE-2026-3001"]}}}}""");
        clock.set(T0.plus(Duration.ofDays(3)));
        SlaReport report = SlaReport.of(ledger, rules, clock);
        assertThat(report.breaches()).extracting(b -> b.finding().vulnerability()).containsExactly("CVE-2026-3000");
        assertThat(report.totals().openFindings()).as("ignored ids are left out, as the policy skips them").isEqualTo(1);
    }

    @Test
    void closedFindingsReportTimeToFixAndTheMean() {
        record(PolicyInputs.image(REGISTRY, "team/app", digest("a"), "1.0", T0).scanned()
                .finding("CVE-2026-4000", OPENSSL, "critical", List.of("3.0.12"), null)
                .finding("CVE-2026-4001", OPENSSL, "high", List.of("3.0.12"), null));
        Instant fixed = T0.plus(Duration.ofDays(2));
        record(PolicyInputs.image(REGISTRY, "team/app", digest("b"), "1.0", fixed).scanned()
                .finding("CVE-2026-4001", OPENSSL, "high", List.of("3.0.12"), null));
        Instant suppressed = T0.plus(Duration.ofDays(10));
        record(PolicyInputs.image(REGISTRY, "team/app", digest("b"), "1.0", suppressed).scanned()
                .finding("CVE-2026-4001", List.of(), OPENSSL, "high", List.of("3.0.12"), null, "not_affected"));

        clock.set(T0.plus(Duration.ofDays(20)));
        SlaReport report = SlaReport.of(ledger, clock);
        assertThat(report.breaches()).isEmpty();
        assertThat(report.closed()).hasSize(2);
        SlaReport.ClosedFinding removed = report.closed("CVE-2026-4000").get(0);
        assertThat(removed.closed().closure()).isEqualTo(Closure.REMOVED);
        assertThat(removed.closed().by()).isEqualTo(digest("b"));
        assertThat(removed.timeToFix()).isEqualTo(Duration.ofDays(2));
        assertThat(removed.withinSla()).isTrue();
        SlaReport.ClosedFinding vex = report.closed("CVE-2026-4001").get(0);
        assertThat(vex.closed().closure()).isEqualTo(Closure.VEX_NOT_AFFECTED);
        assertThat(vex.timeToFix()).isEqualTo(Duration.ofDays(10));
        assertThat(vex.withinSla()).isFalse();
        assertThat(report.totals().meanTimeToRemediate()).isEqualTo(Duration.ofDays(6));
        assertThat(report.totals().remediatedWithinSla()).isEqualTo(1);
        assertThat(report.totals().images()).as("only the newest digest of the tag is a current image").isEqualTo(1);
    }

    @Test
    void pastEndOfLifeIsABreachUnlessTheImageHasExtendedSupport() throws Exception {
        Instant now = Instant.parse("2026-10-15T00:00:00Z");
        clock.set(now);
        record(PolicyInputs.image(REGISTRY, "team/old", digest("a"), "1.0", now).os("Debian", "10.13"));
        record(PolicyInputs.image(REGISTRY, "team/legacy", digest("b"), "1.0", now).os("debian", "10.13")
                .label("dev.gatehouse.image.extended-support", "true"));
        record(PolicyInputs.image(REGISTRY, "team/current", digest("c"), "1.0", now).os("debian", "12.7").runtime("node", "24.1.0"));
        record(PolicyInputs.image(REGISTRY, "team/soon", digest("d"), "1.0", now).os("alpine", "3.21.2"));

        SlaReport report = SlaReport.of(ledger, clock);
        ImageSla old = image(report, "team/old");
        assertThat(old.eol()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(EolState.PAST);
            assertThat(s.endOfLife()).hasToString("2024-06-30");
        });
        assertThat(old.eolBreach()).isTrue();
        ImageSla legacy = image(report, "team/legacy");
        assertThat(legacy.extendedSupport()).isTrue();
        assertThat(legacy.eolBreach()).isFalse();
        assertThat(image(report, "team/current").eol()).extracting(SlaReport.EolStatus::state)
                .containsExactly(EolState.SUPPORTED, EolState.SUPPORTED);
        assertThat(image(report, "team/soon").eol()).extracting(SlaReport.EolStatus::state).containsExactly(EolState.ENDING_SOON);
        assertThat(report.totals().imagesPastEol()).isEqualTo(1);
        assertThat(report.totals().imagesPastEolExempt()).isEqualTo(1);

        SlaRules globbed = rulesWith("{\"gatehouse\": {\"settings\": {\"eol\": {\"extended_support_images\": [\"team/*\"]}}}}");
        assertThat(SlaReport.of(ledger, globbed, clock).totals().imagesPastEol()).isZero();
        SlaRules otherGlob = rulesWith("{\"gatehouse\": {\"settings\": {\"eol\": {\"extended_support_images\": [\"*/old\"]}}}}");
        assertThat(image(SlaReport.of(ledger, otherGlob, clock), "team/old").extendedSupport()).isTrue();
    }

    @Test
    void theReportAndTheGateAgreeOnTheBoundary() throws Exception {
        PolicyBundle bundle = PolicyBundle.hardened();
        Instant fix = T0.minus(Duration.ofDays(7));
        PolicyInputs inside = PolicyInputs.image(REGISTRY, "team/app", digest("a"), "1.0", T0).scanned()
                .finding("CVE-2026-5000", OPENSSL, "critical", List.of("3.0.12"), fix.toString());
        PolicyInputs outside = PolicyInputs.image(REGISTRY, "team/app", digest("a"), "1.0", T0.plus(Duration.ofDays(1))).scanned()
                .finding("CVE-2026-5000", OPENSSL, "critical", List.of("3.0.12"), fix.toString());

        assertThat(slaDenials(bundle.evaluate(inside.input(), line -> {}))).isEmpty();
        assertThat(slaDenials(bundle.evaluate(outside.input(), line -> {}))).hasSize(1);
        record(inside);
        assertThat(onlyOpen(SlaReport.of(ledger, clock)).breached()).isFalse();
        clock.set(T0.plus(Duration.ofDays(1)));
        assertThat(onlyOpen(SlaReport.of(ledger, clock)).breached()).isTrue();
    }

    private static List<Violation> slaDenials(Decision decision) {
        return decision.denials().stream().filter(v -> "GH-VULN-SLA".equals(v.policy())).toList();
    }

    private String record(PolicyInputs inputs) {
        try {
            JsonNode input = inputs.input();
            ImageObservation o = ImageObservation.fromPolicyInput(input.at("/image/registry").asText(),
                    input.at("/image/repository").asText(), Digest.parse(input.at("/image/digest").asText()),
                    input.at("/image/tag").asText(null), Instant.parse(input.at("/context/now").asText()), input, SlaRules.hardened());
            recorder.record(o);
            return o.repository();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static SlaRules rulesWith(String overrides) throws Exception {
        return SlaRules.of(PolicyBundle.hardened().withData(UntrustedJson.parse(overrides, "test data")));
    }

    private static ImageSla image(SlaReport report, String path) {
        return report.images().stream().filter(i -> i.image().path().equals(path)).findFirst().orElseThrow();
    }

    private static OpenFinding onlyOpen(SlaReport report) {
        assertThat(report.images()).hasSize(1);
        assertThat(report.images().get(0).open()).hasSize(1);
        return report.images().get(0).open().get(0);
    }

    private static Digest digest(String seed) {
        return Digest.sha256(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
