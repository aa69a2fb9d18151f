package dev.gatehouse.attestation;

/**
 * A check that failed, worded as slsa-verifier words the same failure: the message starts with the
 * error's description and slsa-verifier's name for it, e.g.
 * {@code mismatched source (ErrorMismatchSource): expected ...}.
 */
public abstract class SlsaVerifierFailure extends Exception {

    private final SlsaVerifierError kind;

    protected SlsaVerifierFailure(SlsaVerifierError kind, String detail, Throwable cause) {
        super(kind.description() + " (" + kind.slsaVerifierName() + "): " + detail, cause);
        this.kind = kind;
    }

    public SlsaVerifierError kind() {
        return kind;
    }
}
