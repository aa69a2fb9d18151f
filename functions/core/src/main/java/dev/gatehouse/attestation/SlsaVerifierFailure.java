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

    /**
     * The one-line message, naming {@code file} when the failure is that the file itself could not be
     * read as provenance (the detail then names only the place inside it).
     */
    public String describeFrom(Object file) {
        String message = getMessage().replace('\n', ' ');
        boolean unreadable = kind == SlsaVerifierError.INVALID_PAYLOAD || kind == SlsaVerifierError.INVALID_FORMAT;
        return unreadable && file != null ? message + " (in " + file + ")" : message;
    }

    public SlsaVerifierError kind() {
        return kind;
    }
}
