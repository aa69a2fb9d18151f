package dev.gatehouse.attestation;

/**
 * The failures Gatehouse reports where slsa-verifier reports the same one (its {@code errors}
 * package, shared by verify-artifact, verify-image and verify-vsa): our description and
 * slsa-verifier's error name, so that a reviewer can map one tool's output to the other's.
 */
public enum SlsaVerifierError {
    MISMATCHED_SOURCE("mismatched source", "ErrorMismatchSource"),
    MISMATCHED_BRANCH("mismatched branch", "ErrorMismatchBranch"),
    MISMATCHED_TAG("mismatched tag", "ErrorMismatchTag"),
    MISMATCHED_VERSIONED_TAG("mismatched versioned tag", "ErrorMismatchVersionedTag"),
    MISMATCHED_BUILDER_ID("mismatched builder id", "ErrorMismatchBuilderID"),
    MISMATCHED_HASH("mismatched hash", "ErrorMismatchHash"),
    MISMATCHED_WORKFLOW_INPUTS("mismatched workflow inputs", "ErrorMismatchWorkflowInputs"),
    MISMATCHED_INTOTO("mismatched in-toto statement", "ErrorMismatchIntoto"),
    MISMATCHED_CERTIFICATE("provenance does not match its certificate", "ErrorMismatchCertificate"),
    MISMATCHED_VERIFIER_ID("mismatched verifier id", "ErrorMismatchVerifierID"),
    MISMATCHED_RESOURCE_URI("mismatched resource URI", "ErrorMismatchResourceURI"),
    MISMATCHED_VERIFIED_LEVELS("mismatched verified levels", "ErrorMismatchVerifiedLevels"),
    UNTRUSTED_BUILDER("untrusted builder", "ErrorUntrustedReusableWorkflow"),
    INVALID_REF("invalid ref", "ErrorInvalidRef"),
    INVALID_BUILDER_ID("invalid builder id", "ErrorInvalidBuilderID"),
    INVALID_BUILD_TYPE("invalid build type", "ErrorInvalidBuildType"),
    INVALID_SEMVER("invalid semantic version", "ErrorInvalidSemver"),
    INVALID_HASH("invalid hash", "ErrorInvalidHash"),
    MALFORMED_URI("malformed URI", "ErrorMalformedURI"),
    INVALID_CERTIFICATE("invalid certificate", "ErrorInvalidCertificate"),
    INVALID_OIDC_ISSUER("invalid OIDC issuer", "ErrorInvalidOIDCIssuer"),
    INVALID_PUBLIC_KEY("invalid public key", "ErrorInvalidPublicKey"),
    INVALID_SLSA_LEVEL("invalid SLSA level", "ErrorInvalidSLSALevel"),
    NO_VALID_SIGNATURE("no valid signature", "ErrorNoValidSignature"),
    NO_TLOG_PROOF("no transparency-log proof", "ErrorRekorSearch"),
    INVALID_PAYLOAD("invalid payload", "ErrorInvalidDssePayload"),
    INVALID_FORMAT("invalid format", "ErrorInvalidFormat"),
    EMPTY_REQUIRED_FIELD("empty required field", "ErrorEmptyRequiredField"),
    MISSING_SUBJECT_DIGEST("missing subject digest", "ErrorMissingSubjectDigest"),
    NOT_PASSED("verification result is not PASSED", "ErrorInvalidVerificationResult"),
    UNSUPPORTED_BUILDER("unsupported builder", "ErrorVerifierNotSupported"),
    NOT_SUPPORTED("not supported", "ErrorNotSupported"),
    NO_PROVENANCE("no provenance found", "ErrorNoValidSignature");

    private final String description;
    private final String slsaVerifierName;

    SlsaVerifierError(String description, String slsaVerifierName) {
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
