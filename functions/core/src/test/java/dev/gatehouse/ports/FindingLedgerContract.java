package dev.gatehouse.ports;

import static dev.gatehouse.ports.PortFixtures.randomDigest;
import static dev.gatehouse.ports.PortFixtures.randomRepository;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.FindingLedger.Closed;
import dev.gatehouse.ports.FindingLedger.Closure;
import dev.gatehouse.ports.FindingLedger.Entry;
import dev.gatehouse.ports.FindingLedger.FindingKey;
import dev.gatehouse.ports.FindingLedger.ImageRecord;
import dev.gatehouse.ports.FindingLedger.Open;
import dev.gatehouse.ports.FindingLedger.Product;
import dev.gatehouse.ports.FindingLedger.Superseded;
import dev.gatehouse.ports.FindingLedger.TagHead;
import dev.gatehouse.ports.FindingLedger.Update;
import dev.gatehouse.sla.ImageObservation;
import dev.gatehouse.sla.ImageObservation.ObservedFinding;
import dev.gatehouse.sla.LedgerRecorder;
import dev.gatehouse.sla.LedgerRecorder.Recorded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every FindingLedger does, storage and the transitions {@link LedgerRecorder} drives through
 * it; subclasses supply the implementation under test.
 */
public abstract class FindingLedgerContract {

    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00.123Z");
    private static final FindingKey OPENSSL = new FindingKey("CVE-2026-0001", "pkg:deb/debian/openssl@3.0.11");
    private static final FindingKey ZLIB = new FindingKey("CVE-2026-0002", "pkg:deb/debian/zlib1g@1.2.13");

    private FindingLedger ledger;
    private LedgerRecorder recorder;
    private String repository;

    protected abstract FindingLedger newLedger();

    @BeforeEach
    void createLedger() {
        ledger = newLedger();
        recorder = new LedgerRecorder(ledger);
        repository = randomRepository("app");
    }

    @Test
    void storesEveryFieldOfImagesEntriesAndHeads() {
        Digest digest = randomDigest();
        Digest next = randomDigest();
        ImageRecord image = new ImageRecord(repository, digest, "1.0", randomDigest(), "team/app", T0, T0.plusSeconds(5),
                List.of(new Product("debian", "12.7"), new Product("node", "20.11.1")), true, next, T0.plusSeconds(9));
        Entry open = new Entry(repository, digest, OPENSSL, List.of("GHSA-xxxx-yyyy-zzzz"), "critical", true, T0, null, false,
                new Open(), T0);
        Entry closed = new Entry(repository, digest, ZLIB, List.of(), "medium", false, T0, T0.plusSeconds(1), true,
                new Closed(T0.plusSeconds(9), Closure.VEX_NOT_AFFECTED, next), T0.plusSeconds(9));
        Entry carried = new Entry(repository, digest, new FindingKey("GHSA-1234", "name@1"), List.of(), "unknown", false, T0, null,
                false, new Superseded(T0.plusSeconds(9), next), T0.plusSeconds(9));
        TagHead head = new TagHead(repository, "1.0", next, T0.plusSeconds(9));
        ledger.write(new Update(List.of(image), List.of(open, closed, carried), head));

        assertThat(ledger.image(repository, digest)).contains(image);
        assertThat(ledger.image(repository, next)).isEmpty();
        assertThat(ledger.entries(repository, digest)).containsExactlyInAnyOrder(open, closed, carried);
        assertThat(ledger.entries(repository, digest)).isSortedAccordingTo(
                (a, b) -> a.finding().storageId().compareTo(b.finding().storageId()));
        assertThat(ledger.entries(repository, next)).isEmpty();
        assertThat(ledger.head(repository, "1.0")).contains(head);
        assertThat(ledger.head(repository, "1.1")).isEmpty();
        assertThat(ledger.images()).filteredOn(i -> i.repository().equals(repository)).containsExactly(image);
    }

    @Test
    void anUpdateLargerThanOneStoreRequestIsWrittenWhole() {
        Digest digest = randomDigest();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            entries.add(new Entry(repository, digest, new FindingKey("CVE-2026-" + (10_000 + i), "pkg:generic/p" + i + "@1"), List.of(),
                    "low", false, T0, null, false, new Open(), T0));
        }
        ImageRecord image = new ImageRecord(repository, digest, "big", null, "team/app", T0, T0, List.of(), false, null, null);
        ledger.write(new Update(List.of(image), entries, new TagHead(repository, "big", digest, T0)));
        assertThat(ledger.entries(repository, digest)).containsExactlyInAnyOrderElementsOf(entries);
        assertThat(ledger.image(repository, digest)).contains(image);
        assertThat(ledger.head(repository, "big")).map(TagHead::digest).contains(digest);
    }

    @Test
    void historyListsOneFindingAcrossTheDigestsOfARepository() {
        Digest first = randomDigest();
        Digest second = randomDigest();
        Entry a = new Entry(repository, first, OPENSSL, List.of(), "high", false, T0, null, false, new Open(), T0);
        Entry b = new Entry(repository, second, OPENSSL, List.of(), "high", false, T0, null, false, new Open(), T0);
        Entry other = new Entry(repository, second, ZLIB, List.of(), "high", false, T0, null, false, new Open(), T0);
        Entry elsewhere = new Entry(randomRepository("other"), first, OPENSSL, List.of(), "high", false, T0, null, false,
                new Open(), T0);
        ledger.write(new Update(List.of(), List.of(a, b, other, elsewhere), null));

        assertThat(ledger.history(repository, OPENSSL)).containsExactlyInAnyOrder(a, b)
                .isSortedAccordingTo((x, y) -> x.digest().toString().compareTo(y.digest().toString()));
        assertThat(ledger.history(repository, new FindingKey("CVE-2026-0001", "pkg:deb/debian/openssl@3.0.12"))).isEmpty();
    }

    @Test
    void writingAnEntryAgainReplacesIt() {
        Digest digest = randomDigest();
        Entry open = new Entry(repository, digest, OPENSSL, List.of(), "high", false, T0, null, false, new Open(), T0);
        ledger.write(new Update(List.of(), List.of(open), null));
        Entry closed = open.with(new Closed(T0.plusSeconds(60), Closure.VEX_FIXED, digest), T0.plusSeconds(60));
        ledger.write(new Update(List.of(), List.of(closed), null));
        ledger.write(new Update(List.of(), List.of(closed), null));
        assertThat(ledger.entries(repository, digest)).containsExactly(closed);
        assertThat(ledger.history(repository, OPENSSL)).containsExactly(closed);
    }

    @Test
    void firstSightOpensFindingsWithTheirFixAvailability() {
        Digest v1 = randomDigest();
        Instant fixDate = T0.minus(Duration.ofDays(3));
        recorder.record(observation(v1, "1.0", T0, finding(OPENSSL, "critical", true, fixDate, null),
                finding(ZLIB, "medium", false, null, null)));

        Entry openssl = entry(v1, OPENSSL);
        assertThat(openssl.open()).isTrue();
        assertThat(openssl.firstSeen()).isEqualTo(T0);
        assertThat(openssl.fixAvailableAt()).as("the scanner's fix date is earlier than the sighting").isEqualTo(fixDate);
        assertThat(openssl.severity()).isEqualTo("critical");
        assertThat(entry(v1, ZLIB).fixAvailableAt()).isNull();
        assertThat(ledger.head(repository, "1.0")).map(TagHead::digest).contains(v1);
    }

    @Test
    void aFixAppearingInALaterScanStartsTheClockThen() {
        Digest v1 = randomDigest();
        recorder.record(observation(v1, "1.0", T0, finding(ZLIB, "high", false, null, null)));
        Instant later = T0.plus(Duration.ofDays(2));
        recorder.record(observation(v1, "1.0", later, finding(ZLIB, "high", true, null, null)));
        Entry zlib = entry(v1, ZLIB);
        assertThat(zlib.firstSeen()).isEqualTo(T0);
        assertThat(zlib.fixAvailableAt()).isEqualTo(later);
        assertThat(zlib.open()).isTrue();
    }

    @Test
    void aNewDigestOfTheTagClosesWhatItNoLongerHasAndCarriesTheRest() {
        Digest v1 = randomDigest();
        Digest v2 = randomDigest();
        recorder.record(observation(v1, "1.0", T0, finding(OPENSSL, "critical", true, null, null),
                finding(ZLIB, "medium", true, null, null)));
        Instant t2 = T0.plus(Duration.ofDays(4));
        Recorded recorded = recorder.record(observation(v2, "1.0", t2, finding(ZLIB, "medium", true, null, null)));

        assertThat(recorded.predecessor()).isEqualTo(v1);
        assertThat(recorded.closed()).isEqualTo(1);
        assertThat(recorded.carried()).isEqualTo(1);
        assertThat(entry(v1, OPENSSL).status()).isEqualTo(new Closed(t2, Closure.REMOVED, v2));
        assertThat(entry(v1, ZLIB).status()).isEqualTo(new Superseded(t2, v2));
        Entry carried = entry(v2, ZLIB);
        assertThat(carried.open()).isTrue();
        assertThat(carried.firstSeen()).as("first seen in the line, not in the digest").isEqualTo(T0);
        assertThat(carried.fixAvailableAt()).isEqualTo(T0);
        assertThat(ledger.entries(repository, v2)).hasSize(1);
        assertThat(ledger.image(repository, v1).orElseThrow().supersededBy()).isEqualTo(v2);
        assertThat(ledger.image(repository, v2).orElseThrow().predecessor()).isEqualTo(v1);
        assertThat(ledger.head(repository, "1.0")).map(TagHead::digest).contains(v2);
    }

    @Test
    void vexSuppressionClosesAFindingAndRecordsTheStatus() {
        Digest v1 = randomDigest();
        Digest v2 = randomDigest();
        recorder.record(observation(v1, "1.0", T0, finding(OPENSSL, "high", true, null, null),
                finding(ZLIB, "high", true, null, null)));
        Instant t1 = T0.plus(Duration.ofDays(1));
        recorder.record(observation(v1, "1.0", t1, finding(OPENSSL, "high", true, null, Closure.VEX_NOT_AFFECTED),
                finding(ZLIB, "high", true, null, null)));
        assertThat(entry(v1, OPENSSL).status()).isEqualTo(new Closed(t1, Closure.VEX_NOT_AFFECTED, v1));

        Instant t2 = T0.plus(Duration.ofDays(2));
        recorder.record(observation(v2, "1.0", t2, finding(OPENSSL, "high", true, null, Closure.VEX_NOT_AFFECTED),
                finding(ZLIB, "high", true, null, Closure.VEX_FIXED)));
        assertThat(entry(v1, ZLIB).status()).isEqualTo(new Superseded(t2, v2));
        Entry zlib = entry(v2, ZLIB);
        assertThat(zlib.status()).isEqualTo(new Closed(t2, Closure.VEX_FIXED, v2));
        assertThat(zlib.firstSeen()).isEqualTo(T0);
        assertThat(ledger.entries(repository, v2)).as("suppressed at first sight in the line: never open, not recorded")
                .extracting(Entry::finding).containsExactly(ZLIB);
    }

    @Test
    void aWithdrawnVexStatementReopensTheFinding() {
        Digest v1 = randomDigest();
        recorder.record(observation(v1, "1.0", T0, finding(OPENSSL, "high", true, null, null)));
        recorder.record(observation(v1, "1.0", T0.plusSeconds(60), finding(OPENSSL, "high", true, null, Closure.VEX_FIXED)));
        Recorded again = recorder.record(observation(v1, "1.0", T0.plusSeconds(120), finding(OPENSSL, "high", true, null, null)));
        assertThat(again.reopened()).isEqualTo(1);
        Entry e = entry(v1, OPENSSL);
        assertThat(e.open()).isTrue();
        assertThat(e.reopened()).isTrue();
        assertThat(e.firstSeen()).isEqualTo(T0);
    }

    @Test
    void aFindingThatComesBackInALaterDigestIsReopenedWithItsKnownFix() {
        Digest v1 = randomDigest();
        Digest v2 = randomDigest();
        Digest v3 = randomDigest();
        recorder.record(observation(v1, "latest", T0, finding(OPENSSL, "critical", true, null, null)));
        recorder.record(observation(v2, "latest", T0.plus(Duration.ofDays(1))));
        Instant t3 = T0.plus(Duration.ofDays(5));
        Recorded recorded = recorder.record(observation(v3, "latest", t3, finding(OPENSSL, "critical", true, null, null)));

        assertThat(recorded.reopened()).isEqualTo(1);
        assertThat(entry(v1, OPENSSL).status()).isInstanceOf(Closed.class);
        Entry back = entry(v3, OPENSSL);
        assertThat(back.open()).isTrue();
        assertThat(back.reopened()).isTrue();
        assertThat(back.firstSeen()).isEqualTo(t3);
        assertThat(back.fixAvailableAt()).as("the fix was known since the first sighting").isEqualTo(T0);
    }

    @Test
    void aRescanOfTheSameDigestThatNoLongerReportsAFindingWithdrawsIt() {
        Digest v1 = randomDigest();
        recorder.record(observation(v1, "1.0", T0, finding(OPENSSL, "high", true, null, null), finding(ZLIB, "low", false, null, null)));
        Instant t1 = T0.plusSeconds(3600);
        recorder.record(observation(v1, "1.0", t1, finding(ZLIB, "low", false, null, null)));
        assertThat(entry(v1, OPENSSL).status()).isEqualTo(new Closed(t1, Closure.WITHDRAWN, v1));
        assertThat(entry(v1, ZLIB).open()).isTrue();
    }

    @Test
    void aVerificationWithoutAScanChangesNoFinding() {
        Digest v1 = randomDigest();
        Digest v2 = randomDigest();
        recorder.record(observation(v1, "1.0", T0, finding(OPENSSL, "high", true, null, null)));
        recorder.record(unscanned(v2, "1.0", T0.plusSeconds(60)));
        assertThat(entry(v1, OPENSSL).open()).as("no scan of v2 yet: nothing known to be fixed").isTrue();
        assertThat(ledger.head(repository, "1.0")).map(TagHead::digest).contains(v2);

        Instant scanned = T0.plusSeconds(120);
        recorder.record(observation(v2, "1.0", scanned));
        assertThat(entry(v1, OPENSSL).status()).isEqualTo(new Closed(scanned, Closure.REMOVED, v2));
    }

    @Test
    void replayingAVerificationWritesNothing() {
        Digest v1 = randomDigest();
        Digest v2 = randomDigest();
        ImageObservation first = observation(v1, "1.0", T0, finding(OPENSSL, "critical", true, null, null),
                finding(ZLIB, "low", true, null, null));
        ImageObservation second = observation(v2, "1.0", T0.plus(Duration.ofDays(1)), finding(ZLIB, "low", true, null, null));
        recorder.record(first);
        recorder.record(second);
        List<Entry> before = snapshot(v1, v2);

        assertThat(recorder.record(second).written()).isZero();
        assertThat(recorder.record(first).written()).as("an older digest of the tag is history").isZero();
        assertThat(snapshot(v1, v2)).isEqualTo(before);
        assertThat(ledger.head(repository, "1.0")).map(TagHead::digest).contains(v2);
    }

    @Test
    void anUpdateCutShortIsCompletedByTheReplay() {
        Digest v1 = randomDigest();
        Digest v2 = randomDigest();
        recorder.record(observation(v1, "1.0", T0, finding(OPENSSL, "critical", true, null, null)));
        ImageObservation second = observation(v2, "1.0", T0.plusSeconds(60));
        // The first attempt stored only v2's image record, then failed.
        ledger.write(new Update(List.of(new ImageRecord(repository, v2, "1.0", v1, "team/app", second.verifiedAt(),
                second.verifiedAt(), List.of(), false, null, null)), List.of(), null));

        recorder.record(second);
        assertThat(entry(v1, OPENSSL).status()).isEqualTo(new Closed(second.verifiedAt(), Closure.REMOVED, v2));
        assertThat(ledger.head(repository, "1.0")).map(TagHead::digest).contains(v2);
    }

    private List<Entry> snapshot(Digest... digests) {
        List<Entry> all = new ArrayList<>();
        Arrays.stream(digests).forEach(d -> all.addAll(ledger.entries(repository, d)));
        return all;
    }

    private Entry entry(Digest digest, FindingKey key) {
        return ledger.entries(repository, digest).stream().filter(e -> e.finding().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no entry for " + key + " in " + digest));
    }

    private ImageObservation observation(Digest digest, String tag, Instant at, ObservedFinding... findings) {
        return new ImageObservation(repository, repository.substring(repository.indexOf('/') + 1), digest, tag, at, true,
                List.of(findings), List.of(), false);
    }

    private ImageObservation unscanned(Digest digest, String tag, Instant at) {
        return new ImageObservation(repository, repository.substring(repository.indexOf('/') + 1), digest, tag, at, false,
                List.of(), List.of(), false);
    }

    private static ObservedFinding finding(FindingKey key, String severity, boolean fix, Instant fixDate, Closure suppression) {
        return new ObservedFinding(key, List.of(), severity, false, fix, fixDate, suppression);
    }
}
