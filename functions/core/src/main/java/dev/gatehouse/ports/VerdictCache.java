package dev.gatehouse.ports;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.policy.Decision;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Verdicts already reached for an image, so admission can answer without verifying again. A
 * verdict holds only for the exact inputs that produced it: the repository and digest of the
 * image, the policy bundle revision, the digest of the trust configuration (keys, identities,
 * roots) and the namespace the policy saw. Entries expire; an expired entry is never returned,
 * even if the store has not deleted it yet.
 */
public interface VerdictCache {

    /**
     * What a verdict depends on. Tags never appear here: a tag can move, a digest cannot. The
     * repository is part of it because the trust configuration picks authorities by repository and
     * signatures are attached per repository (one digest pushed to two repositories can be signed
     * in one only); the namespace because policies may read {@code context.namespace} (empty when
     * there is none).
     */
    record Key(String repository, Digest image, String policyRevision, Digest trustConfiguration, String namespace) {

        private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

        public Key {
            StoredKeys.repository(repository);
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(trustConfiguration, "trustConfiguration");
            StoredKeys.token("policy revision", policyRevision);
            Objects.requireNonNull(namespace, "namespace");
            if (!namespace.isEmpty() && !NAMESPACE.matcher(namespace).matches()) {
                throw new IllegalArgumentException("invalid namespace '" + namespace.substring(0, Math.min(63, namespace.length()))
                        + "': expected a DNS label");
            }
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
