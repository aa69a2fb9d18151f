package dev.gatehouse.rego.bundle;

/** A bundle cannot be used: unreadable, malformed, outside its roots, or its signature does not verify. */
public final class BundleException extends Exception {

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
