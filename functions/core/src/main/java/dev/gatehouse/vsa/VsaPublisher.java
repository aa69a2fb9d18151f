package dev.gatehouse.vsa;

import dev.gatehouse.attestation.DsseEnvelope;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.signing.CosignAttacher;
import dev.gatehouse.signing.DsseSigner;
import java.util.Map;

/**
 * Signs a verification summary as a DSSE in-toto envelope and attaches it to the image twice: as
 * an OCI 1.1 referrer (found through the referrers API, or the {@code sha256-<hex>} tag index on
 * registries without one) and as a layer of the cosign {@code sha256-<hex>.att} manifest, which
 * cosign verify-attestation, Kyverno and policy-controller read. In the .att manifest a new summary
 * from the same verifier replaces the previous one, so re-verification does not grow it.
 */
public final class VsaPublisher {

    /** Layer annotation naming the verifier of a summary, to replace a verifier's earlier summary. */
    public static final String VERIFIER_ANNOTATION = "dev.gatehouse.vsa/verifier";
    /** Layer annotation with {@link VerificationSummary#verdictKey()}, to tell a repeat from news without reading blobs. */
    public static final String VERDICT_ANNOTATION = "dev.gatehouse.vsa/verdict";
    public static final String CREATED_ANNOTATION = "org.opencontainers.image.created";

    private final Signer signer;

    public VsaPublisher(Signer signer) {
        this.signer = signer;
    }

    /** Where a summary went: the referrer manifest, the .att manifest, and the envelope bytes. */
    public record Published(Descriptor referrer, Descriptor cosignAttestation, byte[] envelope) {}

    /** The signed DSSE envelope of {@code summary}. */
    public DsseSigner.SignedEnvelope sign(VerificationSummary summary) throws Signer.SigningException {
        return DsseSigner.sign(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, summary.toStatement(), signer);
    }

    /**
     * Whether {@code image} already carries, in its .att manifest, a summary from this verifier
     * with the same verdict: publishing again would say nothing new.
     */
    public static boolean alreadyPublished(OciRepository repository, Digest image, VerificationSummary summary)
            throws RegistryException {
        var att = repository.cosignArtifact(image, dev.gatehouse.oci.CosignTag.ATTESTATION);
        if (att.isEmpty()) {
            return false;
        }
        return repository.manifest(att.get()) instanceof ImageManifest m && m.layers().stream().anyMatch(layer ->
                summary.verifierId().equals(layer.annotation(VERIFIER_ANNOTATION))
                        && summary.verdictKey().equals(layer.annotation(VERDICT_ANNOTATION)));
    }

    /** Signs {@code summary} and attaches it to {@code image} in {@code repository}. */
    public Published publish(OciRepository repository, Digest image, VerificationSummary summary)
            throws RegistryException, Signer.SigningException {
        DsseSigner.SignedEnvelope envelope = sign(summary);
        Descriptor subject = repository.resolve(image.toString());
        Map<String, String> ownAnnotations = Map.of(VERIFIER_ANNOTATION, summary.verifierId(),
                VERDICT_ANNOTATION, summary.verdictKey());
        CosignAttacher attacher = new CosignAttacher(repository);
        Descriptor referrerDescriptor = attacher.attachEnvelopeReferrer(subject, VerificationSummary.PREDICATE_TYPE, envelope.json(),
                ownAnnotations, Map.of(CREATED_ANNOTATION, summary.timeVerified().toString()));
        Descriptor att = attacher.attachEnvelope(image, VerificationSummary.PREDICATE_TYPE, envelope.json(),
                envelope.signature(), ownAnnotations,
                existing -> summary.verifierId().equals(existing.annotation(VERIFIER_ANNOTATION)));
        return new Published(referrerDescriptor, att, envelope.json());
    }

}
