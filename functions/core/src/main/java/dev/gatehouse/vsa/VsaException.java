package dev.gatehouse.vsa;

import dev.gatehouse.attestation.SlsaVerifierError;
import dev.gatehouse.attestation.SlsaVerifierFailure;

/** A verification summary that does not verify; the kind says which check failed ({@link SlsaVerifierFailure}). */
public final class VsaException extends SlsaVerifierFailure {

    public VsaException(SlsaVerifierError kind, String detail) {
        super(kind, detail, null);
    }
}
