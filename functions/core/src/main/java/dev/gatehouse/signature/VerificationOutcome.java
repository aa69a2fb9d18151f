package dev.gatehouse.signature;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The result of checking one signature against a trust policy. */
public sealed interface VerificationOutcome {

    boolean verified();

    /**
     * The signature verified. {@code signer} names the key or the certificate identity,
     * {@code signingTimes} are the times proven by a transparency log or timestamp authority,
     * {@code certificate} is the verified Fulcio leaf of a keyless signature.
     */
    record Verified(String signer, String authority, List<Instant> signingTimes, Optional<X509Certificate> certificate)
            implements VerificationOutcome {
        @Override
        public boolean verified() {
            return true;
        }
    }

    /** The signature did not verify; {@code reason} is one line for a user. */
    record Rejected(String reason) implements VerificationOutcome {
        @Override
        public boolean verified() {
            return false;
        }
    }
}
