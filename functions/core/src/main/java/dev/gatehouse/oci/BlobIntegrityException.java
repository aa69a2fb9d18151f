package dev.gatehouse.oci;

import java.io.IOException;

/**
 * Thrown from a blob stream's {@code read} when the content is larger than allowed or does not hash
 * to its digest; {@link #reason()} carries the kind and the one-line message.
 */
public class BlobIntegrityException extends IOException {

    private final RegistryException reason;

    public BlobIntegrityException(RegistryException reason) {
        super(reason.getMessage(), reason);
        this.reason = reason;
    }

    public RegistryException reason() {
        return reason;
    }
}
