package dev.gatehouse.handlers.admission;

import java.util.Locale;

/** What admission does with an image the policy denies, per namespace. */
public enum AdmissionMode {
    /** Deny the request; policy warnings become Kubernetes warnings. */
    ENFORCE,
    /** Allow, and tell the client with a warning what would have been denied. */
    WARN,
    /** Allow silently; what would have been denied goes only into the API server's audit log (audit annotations). */
    AUDIT;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AdmissionMode parse(String value) {
        for (AdmissionMode mode : values()) {
            if (mode.configName().equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + value + "' (enforce, warn or audit)");
    }
}
