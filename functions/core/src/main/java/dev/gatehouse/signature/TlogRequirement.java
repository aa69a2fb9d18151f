package dev.gatehouse.signature;

/**
 * Whether a signature must come with a transparency log entry. {@code NONE} is for publishers that
 * sign with a key and never log (e.g. Docker Hardened Images): no log is consulted at all.
 */
public enum TlogRequirement {
    /** A Rekor entry (SET) must be present and verify. */
    REQUIRED,
    /** A Rekor entry is verified when present; its absence is accepted. */
    OPTIONAL,
    /** Rekor entries are ignored; no trusted root is loaded for them. */
    NONE,
    /**
     * Keyless only, from an explicit {@code --insecure-ignore-tlog}: a Rekor entry is verified when
     * present; without one the short-lived certificate has no proven signing time, so its chain is
     * checked at issuance and whether it was valid when it signed is not known.
     */
    INSECURE_OPTIONAL_FOR_KEYLESS
}
