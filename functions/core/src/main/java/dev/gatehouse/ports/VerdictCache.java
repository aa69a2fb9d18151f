package dev.gatehouse.ports;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.policy.Decision;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verdicts already reached for an image, so admission can answer without verifying again. A
 * verdict holds only for the exact inputs that produced it: the image digest, the policy bundle
 * revision and the digest of the trust configuration (keys, identities, roots). Entries expire;
 * an expired entry is never returned, even if the store has not deleted it yet.
 */
public interface VerdictCache {

    /** What a verdict depends on. Tags never appear here: a tag can move, a digest cannot. */
    record Key(Digest image, String policyRevision, Digest trustConfiguration) {
        public Key {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(trustConfiguration, "trustConfiguration");
            StoredKeys.token("policy revision", policyRevision);
        }
    }

    /**
     * The cached outcome with the messages admission shows (at most {@value #MAX_REASONS}), and
     * when it was decided. Times are kept to the millisecond.
     */
    record Verdict(Decision.Outcome outcome, List<String> reasons, Instant decidedAt) {

        public static final int MAX_REASONS = 50;

        public Verdict {
            Objects.requireNonNull(outcome, "outcome");
            reasons = List.copyOf(reasons);
            if (reasons.size() > MAX_REASONS) {
                throw new IllegalArgumentException("verdict has " + reasons.size() + " reasons, at most " + MAX_REASONS);
            }
            decidedAt = decidedAt.truncatedTo(ChronoUnit.MILLIS);
        }
    }

    /** The verdict for {@code key} if one is cached and not expired. */
    Optional<Verdict> get(Key key);

    /** Caches {@code verdict} for {@code ttl} (whole seconds, rounded up), replacing any earlier one. */
    void put(Key key, Verdict verdict, Duration ttl);
}
