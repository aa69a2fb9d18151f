package dev.gatehouse.oci;

/**
 * A registry or OCI layout could not give us what we asked for. The kind says why, so callers can
 * tell "there is no signature" (NOT_FOUND) from "we could not look" (UNAVAILABLE, UNAUTHORIZED) and
 * from "someone handed us bad content" (DIGEST_MISMATCH, MALFORMED, TOO_LARGE). The message is one
 * line that names the repository and the object.
 */
public class RegistryException extends Exception {

    public enum Kind {
        /** The repository, tag, manifest or blob does not exist. */
        NOT_FOUND,
        /** Credentials are missing or were refused, or the token flow failed. */
        UNAUTHORIZED,
        /** Content does not hash to the digest it was fetched by. */
        DIGEST_MISMATCH,
        /** Content is larger than the limit for its kind, or than its descriptor said. */
        TOO_LARGE,
        /** Content or a registry response cannot be parsed or has the wrong media type. */
        MALFORMED,
        /** Network failure, timeout, or the registry kept answering 429/5xx after retries. */
        UNAVAILABLE,
        /** The registry refused a write or a request we made (4xx other than the above), or the source cannot do it. */
        REJECTED
    }

    private final Kind kind;

    public RegistryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RegistryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
