package dev.gatehouse.signature;

import java.security.PublicKey;

/** Who must have signed: a managed key, or a Fulcio certificate identity. */
public sealed interface SignerExpectation {

    record Key(PublicKey key, String name) implements SignerExpectation {}

    record Identity(CertificateIdentity identity) implements SignerExpectation {}
}
