package dev.gatehouse.vsa;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.attestation.InTotoStatement;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.handlers.push.PushHandler;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.verify.VerificationReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The verification listener that emits a Gatehouse VSA after each verification: the pipeline's
 * verdict on the image digest (allow or warn is PASSED, deny is FAILED) under the policy revision
 * and trust configuration that produced it, signed and attached to the image by {@link VsaPublisher}.
 *
 * <p>Attaching a summary is itself a push, and registries announce pushes: the referrer manifest,
 * the .att tag and the referrers fallback tag each come back as an event. So that this never
 * loops, no summary is emitted for a manifest that has a subject (an attachment is not an image),
 * nor when the image already carries this verifier's summary of the same verdict; and when given
 * the push function's idempotency keys, the emitter claims its own manifests as the push handler
 * would, so their events are duplicates instead of re-verifications.
 */
public final class VsaEmitter implements VerificationListener {

    /** The settings a deployment gives its VSAs. */
    public record Settings(String verifierId, Map<String, String> verifierVersion, Digest trustConfiguration,
                           Function<String, VerificationSummary.ResourceDescriptor> policyByRevision) {
        public Settings {
            Objects.requireNonNull(verifierId, "verifierId");
            verifierVersion = Map.copyOf(verifierVersion);
            Objects.requireNonNull(trustConfiguration, "trustConfiguration");
            Objects.requireNonNull(policyByRevision, "policyByRevision");
        }
    }

    /** How long the emitter's own manifests stay claimed: as long as the push handler keeps seen attachments. */
    static final Duration OWN_PUSH_RETENTION = Duration.ofDays(30);

    private final OciRepositories repositories;
    private final VsaPublisher publisher;
    private final Settings settings;
    private final IdempotencyKeys pushClaims;

    /** An emitter whose own pushes are not claimed (CLI, tests, a deployment without push events). */
    public VsaEmitter(OciRepositories repositories, VsaPublisher publisher, Settings settings) {
        this(repositories, publisher, settings, null);
    }

    /** An emitter that claims its own manifests in the push handler's idempotency keys. */
    public VsaEmitter(OciRepositories repositories, VsaPublisher publisher, Settings settings, IdempotencyKeys pushClaims) {
        this.repositories = Objects.requireNonNull(repositories, "repositories");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pushClaims = pushClaims;
    }

    @Override
    public void onVerified(VerifiedImage image) throws Exception {
        OciRepository repository = repositories.open(new ImageReference(image.registry(), image.repository(), null, image.digest(), null));
        if (repository.manifest(image.digest()) instanceof ImageManifest m && m.subject() != null) {
            return;
        }
        VerificationSummary summary = summarise(image);
        if (VsaPublisher.alreadyPublished(repository, image.digest(), summary)) {
            return;
        }
        VsaPublisher.Published published = publisher.publish(repository, image.digest(), summary);
        if (pushClaims != null) {
            claimOwnPushes(repository, image, published);
        }
    }

    private void claimOwnPushes(OciRepository repository, VerifiedImage image, VsaPublisher.Published published) throws RegistryException {
        String revision = image.policyRevision();
        pushClaims.claim(PushHandler.imageKey(image.registry(), image.repository(), published.referrer().digest(), revision),
                OWN_PUSH_RETENTION);
        pushClaims.claim(PushHandler.attachmentKey(image.registry(), image.repository(), image.digest(), revision,
                published.referrer().digest()), OWN_PUSH_RETENTION);
        pushClaims.claim(PushHandler.attachmentKey(image.registry(), image.repository(), image.digest(), revision,
                published.cosignAttestation().digest()), OWN_PUSH_RETENTION);
        try {
            Digest index = repository.resolve(image.digest().tagForm()).digest();
            pushClaims.claim(PushHandler.attachmentKey(image.registry(), image.repository(), image.digest(), revision, index),
                    OWN_PUSH_RETENTION);
        } catch (RegistryException e) {
            // A registry with the referrers API has no fallback tag to claim.
            if (e.kind() != RegistryException.Kind.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** The summary of one verification, as {@link #onVerified} signs it. */
    public VerificationSummary summarise(VerifiedImage image) {
        VerificationReport report = image.report();
        VerificationSummary.ResourceDescriptor bundle = settings.policyByRevision().apply(image.policyRevision());
        VerificationSummary.Policy policy = new VerificationSummary.Policy(bundle.uri(), bundle.digest(), image.policyRevision(),
                settings.trustConfiguration().toString(), report.decision().outcome().name().toLowerCase(java.util.Locale.ROOT));
        List<VerificationSummary.ResourceDescriptor> inputs = new ArrayList<>();
        for (VerificationReport.EvidenceRecord e : report.evidence()) {
            if (e.status() == VerificationReport.Status.VERIFIED && e.digest() != null && Digest.isDigest(e.digest())) {
                Digest d = Digest.parse(e.digest());
                inputs.add(new VerificationSummary.ResourceDescriptor(null, Map.of(d.algorithm(), d.hex())));
            }
        }
        VerificationSummary.Result result = report.decision().allowed()
                ? VerificationSummary.Result.PASSED : VerificationSummary.Result.FAILED;
        return new VerificationSummary(
                List.of(new InTotoStatement.Subject(image.registry() + "/" + image.repository(),
                        Map.of(image.digest().algorithm(), image.digest().hex()))),
                settings.verifierId(), settings.verifierVersion(), image.verifiedAt(), resourceUri(image.registry(), image.repository()),
                policy, inputs, result, List.of(buildLevel(report.input())), Map.of(), "1.0");
    }

    /**
     * The policy resource of a bundle: {@code uri} and, when {@code bundleDigest} is a plain
     * {@code sha256:HEX} (not a bundle with data overrides), that digest.
     */
    public static VerificationSummary.ResourceDescriptor policyResource(String uri, String bundleDigest) {
        if (bundleDigest != null && Digest.isDigest(bundleDigest)) {
            Digest d = Digest.parse(bundleDigest);
            return new VerificationSummary.ResourceDescriptor(uri, Map.of(d.algorithm(), d.hex()));
        }
        return new VerificationSummary.ResourceDescriptor(uri, Map.of());
    }

    /** The resource URI Gatehouse VSAs name an image repository by: {@code oci://REGISTRY/REPOSITORY}. */
    public static String resourceUri(String registry, String repository) {
        return "oci://" + registry + "/" + repository;
    }

    /** The SLSA Build level the verified provenance earned (docs/slsa-levels.md); L0 without provenance. */
    static String buildLevel(JsonNode input) {
        JsonNode level = input == null ? null : input.path("provenance").path("level");
        int n = level != null && level.canConvertToInt() ? level.asInt() : 0;
        return "SLSA_BUILD_LEVEL_" + Math.max(0, Math.min(n, 4));
    }
}
