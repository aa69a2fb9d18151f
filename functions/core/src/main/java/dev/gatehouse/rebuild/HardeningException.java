package dev.gatehouse.rebuild;

/** A rebuilt image could not be hardened (SBOM, provenance or signature); the message is one line naming the image and the step. */
public final class HardeningException extends Exception {

    public HardeningException(String message) {
        super(message);
    }

    public HardeningException(String message, Throwable cause) {
        super(message, cause);
    }
}
