package dev.gatehouse.ports;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verification results per image digest: the history of every verification, the latest one per
 * digest, and the latest one of each image in a repository for compliance reports. A write is
 * all-or-nothing: readers see the whole result or none of it.
 */
public interface ResultStore {

    /** Inline reports above this size belong in the {@link BlobStore}, referenced by key. */
    int MAX_INLINE_REPORT_BYTES = 64 * 1024;
    int MAX_VIOLATIONS = 100;

    /**
     * One verification of {@code digest} (pushed to {@code repository}) against the policy bundle
     * at {@code policyRevision}. Times are kept to the millisecond.
     */
    record VerificationResult(
            String repository,
            Digest digest,
            String policyRevision,
            Decision.Outcome decision,
            List<Violation> violations,
            Report report,
            Instant verifiedAt) {

        public VerificationResult {
            StoredKeys.repository(repository);
            Objects.requireNonNull(digest, "digest");
            StoredKeys.token("policy revision", policyRevision);
            Objects.requireNonNull(decision, "decision");
            violations = List.copyOf(violations);
            if (violations.size() > MAX_VIOLATIONS) {
                throw new IllegalArgumentException("result has " + violations.size()
                        + " violations, at most " + MAX_VIOLATIONS + " are stored (keep the rest in the report)");
            }
            Objects.requireNonNull(report, "report");
            verifiedAt = verifiedAt.truncatedTo(ChronoUnit.MILLIS);
        }
    }

    /** The full report: inline JSON when small, otherwise a pointer into the blob store. */
    sealed interface Report permits InlineReport, StoredReport {}

    record InlineReport(String json) implements Report {
        public InlineReport {
            int size = json.getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_INLINE_REPORT_BYTES) {
                throw new IllegalArgumentException("inline report is " + size + " bytes, at most "
                        + MAX_INLINE_REPORT_BYTES + ": store it in the blob store and keep a StoredReport");
            }
        }
    }

    /** A report kept in the blob store under {@code blobKey}, with its digest to check on read. */
    record StoredReport(String blobKey, Digest digest, long size) implements Report {
        public StoredReport {
            StoredKeys.blobKey(blobKey);
            Objects.requireNonNull(digest, "digest");
            if (size < 0) {
                throw new IllegalArgumentException("negative report size");
            }
        }
    }

    /** Stores {@code result} whole, or nothing. Storing the same result twice is harmless. */
    void put(VerificationResult result);

    /** The most recent result for {@code digest} in any repository (latest {@code verifiedAt}). */
    Optional<VerificationResult> latest(Digest digest);

    /**
     * The latest result of each image digest in {@code repository}, most recently verified first,
     * at most {@code limit} of them.
     */
    List<VerificationResult> latestInRepository(String repository, int limit);
}
