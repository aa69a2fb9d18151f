package dev.gatehouse.policy;

import dev.gatehouse.io.Printable;

/** A policy bundle could not be loaded or evaluated; the message names the bundle and the problem. */
public class PolicyException extends Exception {

    public PolicyException(String message) {
        super(Printable.oneLine(message));
    }

    public PolicyException(String message, Throwable cause) {
        super(Printable.oneLine(message), cause);
    }
}
