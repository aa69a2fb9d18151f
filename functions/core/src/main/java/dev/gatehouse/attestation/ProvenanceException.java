package dev.gatehouse.attestation;

/**
 * Provenance that does not verify. The kind says which check failed; the message starts with the
 * kind's description and slsa-verifier's name for the same failure, so that a reviewer can map
 * one to the other, e.g. {@code mismatched source (ErrorMismatchSource): expected ...}.
 */
public final class ProvenanceException extends Exception {

    /** What went wrong, with the error name slsa-verifier reports for it. */
    public enum Kind {
        MISMATCHED_SOURCE("mismatched source", "ErrorMismatchSource"),
        MISMATCHED_BRANCH("mismatched branch", "ErrorMismatchBranch"),
        MISMATCHED_TAG("mismatched tag", "ErrorMismatchTag"),
        MISMATCHED_VERSIONED_TAG("mismatched versioned tag", "ErrorMismatchVersionedTag"),
        MISMATCHED_BUILDER_ID("mismatched builder id", "ErrorMismatchBuilderID"),
        MISMATCHED_HASH("mismatched hash", "ErrorMismatchHash"),
        MISMATCHED_WORKFLOW_INPUTS("mismatched workflow inputs", "ErrorMismatchWorkflowInputs"),
        MISMATCHED_INTOTO("mismatched in-toto statement", "ErrorMismatchIntoto"),
        MISMATCHED_CERTIFICATE("provenance does not match its certificate", "ErrorMismatchCertificate"),
        UNTRUSTED_BUILDER("untrusted builder", "ErrorUntrustedReusableWorkflow"),
        INVALID_REF("invalid ref", "ErrorInvalidRef"),
        INVALID_BUILDER_ID("invalid builder id", "ErrorInvalidBuilderID"),
        INVALID_BUILD_TYPE("invalid build type", "ErrorInvalidBuildType"),
        INVALID_SEMVER("invalid semantic version", "ErrorInvalidSemver"),
        INVALID_HASH("invalid hash", "ErrorInvalidHash"),
        MALFORMED_URI("malformed URI", "ErrorMalformedURI"),
        INVALID_CERTIFICATE("invalid certificate", "ErrorInvalidCertificate"),
        INVALID_OIDC_ISSUER("invalid OIDC issuer", "ErrorInvalidOIDCIssuer"),
        NO_VALID_SIGNATURE("no valid signature", "ErrorNoValidSignature"),
        NO_TLOG_PROOF("no transparency-log proof", "ErrorRekorSearch"),
        INVALID_PAYLOAD("invalid payload", "ErrorInvalidDssePayload"),
        INVALID_FORMAT("invalid format", "ErrorInvalidFormat"),
        UNSUPPORTED_BUILDER("unsupported builder", "ErrorVerifierNotSupported"),
        NOT_SUPPORTED("not supported", "ErrorNotSupported"),
        NO_PROVENANCE("no provenance found", "ErrorNoValidSignature");

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

    public ProvenanceException(Kind kind, String detail) {
        super(kind.description + " (" + kind.slsaVerifierName + "): " + detail);
        this.kind = kind;
    }

    public ProvenanceException(Kind kind, String detail, Throwable cause) {
        this(kind, detail);
        initCause(cause);
    }

    public Kind kind() {
        return kind;
    }
}
