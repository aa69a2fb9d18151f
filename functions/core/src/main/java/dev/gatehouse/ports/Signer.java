package dev.gatehouse.ports;

import java.security.PublicKey;

/**
 * Signs what Gatehouse produces (signatures, attestations, verification summaries, reports). The
 * local implementation holds a key in process; the AWS one asks KMS, so the private key never
 * leaves it. Signatures are over the SHA-256 of the data, in the encoding cosign uses (ASN.1 DER
 * for ECDSA).
 */
public interface Signer {

    /** Signs {@code data}; implementations hash it with SHA-256 first. */
    byte[] sign(byte[] data) throws SigningException;

    /** The public key that verifies these signatures. */
    PublicKey publicKey();

    /** A stable identifier of the key, as trust configurations and VSAs name it. */
    String keyId();

    /** Signing failed: the key is unusable or the signing service refused or was unreachable. */
    final class SigningException extends Exception {
        public SigningException(String message, Throwable cause) {
            super(message, cause);
        }

        public SigningException(String message) {
            super(message);
        }
    }
}
