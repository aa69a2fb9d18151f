package dev.gatehouse.verify;

import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import java.util.List;

/**
 * One piece of attached evidence as found, before anything about it is believed: the subject it
 * claims to be about, where it was found, and its exact bytes. Verification turns each into a
 * verified fact or a rejection; nothing reads these bytes as true before that.
 */
public sealed interface Evidence {

    /** The digest this evidence was attached to. */
    Digest subject();

    /** The layer or manifest descriptor it was read from; its digest identifies the evidence. */
    Descriptor descriptor();

    /** Where it was found: {@code cosign-tag} or {@code referrer}. */
    String source();

    /** A cosign simple-signing payload with its signature annotations (a .sig layer). */
    record CosignSignature(Digest subject, Descriptor descriptor, String source, byte[] payload) implements Evidence {}

    /** A DSSE envelope (a cosign .att layer, or a referrer holding one). */
    record DsseAttestation(Digest subject, Descriptor descriptor, String source, byte[] envelope) implements Evidence {}

    /** A Sigstore bundle (a referrer of a bundle media type): a signature or a DSSE attestation. */
    record SigstoreBundle(Digest subject, Descriptor descriptor, String source, String artifactType, byte[] bundle)
            implements Evidence {}

    /**
     * A bare in-toto statement held by a referrer manifest whose signature is kept apart: a cosign
     * signature or Sigstore bundle over the manifest's digest (how Docker Scout publishes Docker
     * Hardened Images attestations). The chain manifest digest -> layer digest -> statement bytes is
     * digest-checked on fetch, so a valid signature over the manifest covers the statement.
     *
     * @param manifest           the digest of the referrer manifest that holds the statement
     * @param manifestSignatures signatures found for that manifest, each with the manifest as subject
     */
    record StatementReferrer(Digest subject, Descriptor descriptor, String source, Digest manifest, byte[] statement,
                             List<Evidence> manifestSignatures) implements Evidence {
        public StatementReferrer {
            manifestSignatures = List.copyOf(manifestSignatures);
        }
    }

    /**
     * A document attached without a signature of its own (an SBOM, VEX or scan report referrer, a
     * bare in-toto statement, a cosign .sbom layer): usable only where the policy accepts unsigned
     * evidence, or when a separate signature covers it.
     */
    record Document(Digest subject, Descriptor descriptor, String source, String artifactType, byte[] content)
            implements Evidence {}
}
