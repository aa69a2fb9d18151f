package dev.gatehouse.verify;

/**
 * The pipeline could not reach a decision (registry unavailable, a lookup failed, the policy
 * could not be evaluated). Callers fail closed on it unless configured otherwise.
 */
public class VerificationException extends Exception {

    public VerificationException(String message, Throwable cause) {
        super(message, cause);
    }

    public VerificationException(String message) {
        super(message);
    }
}
