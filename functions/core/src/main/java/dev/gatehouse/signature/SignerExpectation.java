package dev.gatehouse.signature;

import java.security.PublicKey;

/** Who must have signed: a managed key, a Fulcio certificate identity, or any Fulcio identity the caller checks itself. */
public sealed interface SignerExpectation {

    record Key(PublicKey key, String name) implements SignerExpectation {}

    record Identity(CertificateIdentity identity) implements SignerExpectation {}

    /**
     * Any certificate issued by a Fulcio CA of the trusted root, whoever it names: chain, SCT and
     * transparency log are checked exactly as for {@link Identity}, the identity is not. Only for
     * callers that check the signer afterwards from the certificate in
     * {@link VerificationOutcome.Verified#certificate()}, as slsa-verifier checks the builder after
     * the signature; never for a trust policy.
     */
    record AnyFulcioIdentityCheckedByCaller() implements SignerExpectation {}

    /** Signed with a short-lived Fulcio certificate rather than a managed key. */
    default boolean keyless() {
        return !(this instanceof Key);
    }
}
