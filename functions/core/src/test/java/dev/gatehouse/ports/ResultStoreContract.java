package dev.gatehouse.ports;

import static dev.gatehouse.ports.PortFixtures.randomDigest;
import static dev.gatehouse.ports.PortFixtures.randomRepository;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.policy.Decision.Outcome;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.ResultStore.InlineReport;
import dev.gatehouse.ports.ResultStore.StoredReport;
import dev.gatehouse.ports.ResultStore.VerificationResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every ResultStore does; subclasses supply the implementation under test. */
public abstract class ResultStoreContract {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00.123456Z");
    private ResultStore store;

    protected abstract ResultStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    private static VerificationResult result(String repository, Digest digest, Outcome outcome, Instant at) {
        List<Violation> violations = outcome == Outcome.ALLOW ? List.of()
                : List.of(new Violation("signed", "high", "no valid signature", "/signatures"));
        return new VerificationResult(repository, digest, "rev-7", outcome, violations,
                new InlineReport("{\"decision\":\"" + outcome + "\"}"), at);
    }

    @Test
    void storesTheWholeResultAndReadsItBack() {
        Digest digest = randomDigest();
        VerificationResult result = new VerificationResult(randomRepository("app"), digest, "rev-7", Outcome.DENY,
                List.of(new Violation("signed", "high", "no valid signature", "/signatures"),
                        new Violation("vulns", "critical", "CVE-2026-0001 in openssl", "/vulnerabilities/0")),
                new StoredReport("reports/" + digest.hex() + ".json", randomDigest(), 123_456), T0);
        store.put(result);
        assertThat(store.latest(digest)).contains(result);
        assertThat(result.verifiedAt()).isEqualTo(Instant.parse("2026-11-26T10:00:00.123Z"));
    }

    @Test
    void unknownDigestHasNoResult() {
        assertThat(store.latest(randomDigest())).isEmpty();
    }

    @Test
    void latestIsTheMostRecentVerificationEvenWhenItArrivedFirst() {
        String repository = randomRepository("app");
        Digest digest = randomDigest();
        VerificationResult newer = result(repository, digest, Outcome.ALLOW, T0.plusSeconds(60));
        VerificationResult older = result(repository, digest, Outcome.DENY, T0);
        store.put(newer);
        store.put(older);
        assertThat(store.latest(digest)).contains(newer);
        assertThat(store.latestInRepository(repository, 10)).containsExactly(newer);
    }

    @Test
    void latestAcrossRepositoriesOfTheSameDigest() {
        Digest digest = randomDigest();
        VerificationResult first = result(randomRepository("a"), digest, Outcome.ALLOW, T0);
        VerificationResult second = result(randomRepository("b"), digest, Outcome.WARN, T0.plusSeconds(1));
        store.put(second);
        store.put(first);
        assertThat(store.latest(digest)).contains(second);
        assertThat(store.latestInRepository(first.repository(), 10)).containsExactly(first);
    }

    @Test
    void repositoryListingHasTheLatestOfEachImageNewestFirst() {
        String repository = randomRepository("app");
        Digest a = randomDigest();
        Digest b = randomDigest();
        Digest c = randomDigest();
        store.put(result(repository, a, Outcome.DENY, T0));
        store.put(result(repository, b, Outcome.ALLOW, T0.plusSeconds(10)));
        store.put(result(repository, c, Outcome.WARN, T0.plusSeconds(20)));
        VerificationResult aAgain = result(repository, a, Outcome.ALLOW, T0.plusSeconds(30));
        store.put(aAgain);
        store.put(result(randomRepository("other"), randomDigest(), Outcome.ALLOW, T0.plusSeconds(40)));

        List<VerificationResult> listed = store.latestInRepository(repository, 10);
        assertThat(listed).extracting(VerificationResult::digest).containsExactly(a, c, b);
        assertThat(listed.get(0)).isEqualTo(aAgain);
        assertThat(store.latestInRepository(repository, 2)).extracting(VerificationResult::digest).containsExactly(a, c);
    }

    @Test
    void storingTheSameResultTwiceIsHarmless() {
        String repository = randomRepository("app");
        VerificationResult result = result(repository, randomDigest(), Outcome.ALLOW, T0);
        store.put(result);
        store.put(result);
        assertThat(store.latestInRepository(repository, 10)).containsExactly(result);
    }

    @Test
    void emptyRepositoryListsNothing() {
        assertThat(store.latestInRepository(randomRepository("empty"), 5)).isEmpty();
    }

    @Test
    void inlineReportsAreBoundedAndBigOnesGoToTheBlobStore() {
        String big = "{\"x\":\"" + "a".repeat(ResultStore.MAX_INLINE_REPORT_BYTES) + "\"}";
        assertThatThrownBy(() -> new InlineReport(big))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blob store");
    }

    @Test
    void refusesRepositoryNamesThatCouldAliasKeys() {
        assertThatThrownBy(() -> store.latestInRepository("app#REPO#x", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> result("App/Upper", randomDigest(), Outcome.ALLOW, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
