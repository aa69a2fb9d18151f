package dev.gatehouse.vsa;

/**
 * A verification summary that does not verify. The message starts with the kind's description and
 * slsa-verifier's error name for the same failure, e.g.
 * {@code mismatched verifier id (ErrorMismatchVerifierID): expected ..., found ...}.
 */
public final class VsaException extends Exception {

    /** What went wrong, with the error name slsa-verifier's verify-vsa reports for it. */
    public enum Kind {
        INVALID_PAYLOAD("invalid DSSE payload", "ErrorInvalidDssePayload"),
        INVALID_PUBLIC_KEY("invalid public key", "ErrorInvalidPublicKey"),
        NO_VALID_SIGNATURE("no valid signature", "ErrorNoValidSignature"),
        EMPTY_REQUIRED_FIELD("empty required field", "ErrorEmptyRequiredField"),
        MISSING_SUBJECT_DIGEST("missing subject digest", "ErrorMissingSubjectDigest"),
        MISMATCHED_VERIFIER_ID("mismatched verifier id", "ErrorMismatchVerifierID"),
        MISMATCHED_RESOURCE_URI("mismatched resource URI", "ErrorMismatchResourceURI"),
        NOT_PASSED("verification result is not PASSED", "ErrorInvalidVerificationResult"),
        MISMATCHED_VERIFIED_LEVELS("mismatched verified levels", "ErrorMismatchVerifiedLevels"),
        INVALID_SLSA_LEVEL("invalid SLSA level", "ErrorInvalidSLSALevel");

        private final String description;
        private final String slsaVerifierName;

        Kind(String description, String slsaVerifierName) {
            this.description = description;
            this.slsaVerifierName = slsaVerifierName;
        }

        public String description() {
            return description;
        }

        /** The error slsa-verifier reports for this failure. */
        public String slsaVerifierName() {
            return slsaVerifierName;
        }
    }

    private final Kind kind;

    public VsaException(Kind kind, String detail) {
        super(kind.description + " (" + kind.slsaVerifierName + "): " + detail);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
