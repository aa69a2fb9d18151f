package dev.gatehouse.aws;

import static dev.gatehouse.ports.PortFixtures.randomDigest;
import static dev.gatehouse.ports.PortFixtures.randomRepository;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.aws.testing.LocalAwsServices;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.policy.Decision.Outcome;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.ports.ResultStore.InlineReport;
import dev.gatehouse.ports.ResultStore.VerificationResult;
import dev.gatehouse.ports.ResultStoreContract;
import dev.gatehouse.ports.StoreException;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsServices.class)
class DynamoDbResultStoreTest extends ResultStoreContract {

    @Override
    protected ResultStore newStore() {
        return new DynamoDbResultStore(LocalAwsServices.table());
    }

    @Test
    void writeDynamoDbRefusesLeavesNeitherHistoryNorLatest() {
        ResultStore store = newStore();
        String repository = randomRepository("app");
        Digest digest = randomDigest();
        List<Violation> huge = IntStream.range(0, ResultStore.MAX_VIOLATIONS)
                .mapToObj(i -> new Violation("p" + i, "high", "m".repeat(5_000), "/x"))
                .toList();
        VerificationResult tooBig = new VerificationResult(repository, digest, "rev-1", Outcome.DENY, huge,
                new InlineReport("{}"), Instant.parse("2026-11-26T10:00:00Z"));

        assertThatThrownBy(() -> store.put(tooBig))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("ResultStore.put");
        assertThat(store.latest(digest)).isEmpty();
        assertThat(store.latestInRepository(repository, 10)).isEmpty();
    }
}
