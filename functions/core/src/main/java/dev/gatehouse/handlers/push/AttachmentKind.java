package dev.gatehouse.handlers.push;

/** What an attachment tag says was pushed next to an image. */
public enum AttachmentKind {
    /** cosign {@code sha256-<hex>.sig}. */
    SIGNATURE("signature"),
    /** cosign {@code sha256-<hex>.att}. */
    ATTESTATION("attestation"),
    /** cosign {@code sha256-<hex>.sbom}. */
    SBOM("sbom"),
    /** OCI 1.1 referrers tag schema fallback index {@code sha256-<hex>}. */
    REFERRERS_INDEX("referrers-index"),
    /** An OCI 1.1 referrer manifest pushed by digest: its {@code subject} names the image. */
    REFERRER("referrer");

    private final String label;

    AttachmentKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
