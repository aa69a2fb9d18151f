package dev.gatehouse.attestation;

/** Provenance that does not verify; the kind says which check failed ({@link SlsaVerifierFailure}). */
public final class ProvenanceException extends SlsaVerifierFailure {

    public ProvenanceException(SlsaVerifierError kind, String detail) {
        super(kind, detail, null);
    }

    public ProvenanceException(SlsaVerifierError kind, String detail, Throwable cause) {
        super(kind, detail, cause);
    }
}
