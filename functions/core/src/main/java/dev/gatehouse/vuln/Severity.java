package dev.gatehouse.vuln;

import java.util.Locale;

/** Scanner severities on one scale (grype's "negligible" and trivy's "UNKNOWN" included). */
public enum Severity {
    UNKNOWN,
    NEGLIGIBLE,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** Reads a scanner's severity word, case-insensitive; anything else is UNKNOWN. */
    public static Severity of(String word) {
        if (word == null) {
            return UNKNOWN;
        }
        return switch (word.strip().toLowerCase(Locale.ROOT)) {
            case "critical" -> CRITICAL;
            case "high", "error" -> HIGH;
            case "medium", "moderate", "warning" -> MEDIUM;
            case "low", "note" -> LOW;
            case "negligible", "none", "info" -> NEGLIGIBLE;
            default -> UNKNOWN;
        };
    }

    /** The CVSS v3 qualitative rating of a base score. */
    public static Severity ofCvssScore(double score) {
        if (score >= 9.0) {
            return CRITICAL;
        }
        if (score >= 7.0) {
            return HIGH;
        }
        if (score >= 4.0) {
            return MEDIUM;
        }
        if (score > 0.0) {
            return LOW;
        }
        return NEGLIGIBLE;
    }
}
