package dev.gatehouse.vsa;

import dev.gatehouse.handlers.admission.FastPath;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.ports.VerdictCache;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Admission's fast path on Gatehouse verification summaries: when the image carries a VSA signed
 * by the Gatehouse key for exactly the verdict's key (the same digest, policy revision and trust
 * configuration), from this verifier, for this repository, that passed without warnings and is
 * younger than the configured maximum age, admission allows it with one signature check instead
 * of the whole pipeline. Anything else (no VSA, another key, revision or trust configuration, a
 * FAILED or warned verdict, too old, from the future, unreadable) falls back to the pipeline.
 *
 * <p>A VSA is issued when the image is pushed, where there is no namespace and the trigger is the
 * push: admission asks this fast path only when the policy cannot read either
 * ({@code PolicyBundle.readsCallerContext}), so a summary that passed at push holds in every namespace.
 */
public final class VsaFastPath implements FastPath {

    /** Envelopes are small; a larger blob is not a Gatehouse VSA. */
    static final int MAX_ENVELOPE_BYTES = 1 << 20;
    /** Clocks disagree a little; a VSA further in the future than this is refused. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** Whose summaries count and for how long. */
    public record Settings(String verifierId, PublicKey publicKey, String keyId, Duration maxAge) {
        public Settings {
            Objects.requireNonNull(verifierId, "verifierId");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(keyId, "keyId");
            if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("the VSA maximum age must be positive");
            }
        }
    }

    private final OciRepositories repositories;
    private final Settings settings;
    private final Clock clock;

    public VsaFastPath(OciRepositories repositories, Settings settings, Clock clock) {
        this.repositories = Objects.requireNonNull(repositories, "repositories");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<VerdictCache.Verdict> decide(ImageReference pinnedImage, VerdictCache.Key key) {
        try {
            return find(pinnedImage, key);
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    private Optional<VerdictCache.Verdict> find(ImageReference pinnedImage, VerdictCache.Key key) throws RegistryException {
        OciRepository repository = repositories.open(pinnedImage);
        Optional<Descriptor> att = repository.cosignArtifact(key.image(), CosignTag.ATTESTATION);
        if (att.isEmpty() || !(repository.manifest(att.get()) instanceof ImageManifest manifest)) {
            return Optional.empty();
        }
        String wanted = expected(key).verdictKey();
        for (Descriptor layer : manifest.layers()) {
            // The annotations are unsigned: they only pick the candidate; the signed summary decides.
            if (!settings.verifierId().equals(layer.annotation(VsaPublisher.VERIFIER_ANNOTATION))
                    || !wanted.equals(layer.annotation(VsaPublisher.VERDICT_ANNOTATION))) {
                continue;
            }
            VerificationSummary summary;
            try {
                summary = VsaVerifier.verifySignature(repository.blob(layer.digest(), MAX_ENVELOPE_BYTES), settings.publicKey(),
                        settings.keyId()).summary();
            } catch (VsaException e) {
                continue;
            }
            if (holds(summary, key)) {
                return Optional.of(new VerdictCache.Verdict(Decision.Outcome.ALLOW, List.of(), summary.timeVerified()));
            }
        }
        return Optional.empty();
    }

    /** The summary that would hold for {@code key}, for its verdict token. */
    private VerificationSummary expected(VerdictCache.Key key) {
        return new VerificationSummary(List.of(new dev.gatehouse.attestation.InTotoStatement.Subject("",
                Map.of(key.image().algorithm(), key.image().hex()))), settings.verifierId(), Map.of(), Instant.EPOCH, "",
                new VerificationSummary.Policy("", Map.of(), key.policyRevision(), key.trustConfiguration().toString(), "allow"),
                List.of(), VerificationSummary.Result.PASSED, List.of(), Map.of(), null);
    }

    /** Every check on the signed content: the verdict's key, verifier, repository, result, age. */
    boolean holds(VerificationSummary summary, VerdictCache.Key key) {
        Instant now = clock.instant();
        return summary.result() == VerificationSummary.Result.PASSED
                && "allow".equals(summary.policy().decision())
                && settings.verifierId().equals(summary.verifierId())
                && summary.subjects().size() == 1
                && key.image().hex().equals(summary.subjects().get(0).digest().get(key.image().algorithm()))
                && ("oci://" + key.repository()).equals(summary.resourceUri())
                && key.policyRevision().equals(summary.policy().revision())
                && key.trustConfiguration().toString().equals(summary.policy().trustConfiguration())
                && summary.timeVerified() != null
                && !summary.timeVerified().isAfter(now.plus(CLOCK_SKEW))
                && !summary.timeVerified().isBefore(now.minus(settings.maxAge()));
    }
}
