package dev.gatehouse.vex;

import java.util.Locale;
import java.util.Optional;

/** The four statuses of VEX (OpenVEX names; CycloneDX and CSAF values are mapped onto them). */
public enum VexStatus {
    NOT_AFFECTED,
    AFFECTED,
    FIXED,
    UNDER_INVESTIGATION;

    /** The OpenVEX spelling, e.g. {@code not_affected}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<VexStatus> fromLabel(String label) {
        for (VexStatus s : values()) {
            if (s.label().equals(label)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
