package dev.gatehouse.handlers;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.verify.VerificationReport;
import java.time.Instant;
import java.util.Objects;

/**
 * One image the pipeline has just verified, as the listeners see it.
 *
 * @param registry registry host ({@code host[:port]})
 * @param repository repository within the registry
 * @param digest the digest that was verified
 * @param tag the tag the trigger named (a pushed tag, a scanned tag), or null when only a digest was known
 * @param trigger what asked: {@code push}, {@code scan}, {@code admission}, {@code cli}
 * @param policyRevision the revision of the policy bundle that decided
 */
public record VerifiedImage(String registry, String repository, Digest digest, String tag, String trigger,
                            String policyRevision, VerificationReport report, Instant verifiedAt) {

    public VerifiedImage {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(policyRevision, "policyRevision");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(verifiedAt, "verifiedAt");
    }

    /** {@code registry/repository@digest}, the form every store keys an image by. */
    public String pinnedReference() {
        return registry + "/" + repository + "@" + digest;
    }
}
