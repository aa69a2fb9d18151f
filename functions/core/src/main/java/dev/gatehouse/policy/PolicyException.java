package dev.gatehouse.policy;

/** A policy bundle could not be loaded or evaluated; the message names the bundle and the problem. */
public class PolicyException extends Exception {

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
