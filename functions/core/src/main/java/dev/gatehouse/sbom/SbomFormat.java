package dev.gatehouse.sbom;

/** The SBOM document formats Gatehouse reads. */
public enum SbomFormat {
    CYCLONEDX("cyclonedx", "CycloneDX SBOM"),
    SPDX("spdx", "SPDX SBOM");

    private final String id;
    private final String displayName;

    SbomFormat(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** The lower-case name used in JSON output and in the policy input ({@code cyclonedx}, {@code spdx}). */
    public String id() {
        return id;
    }

    /** The name used in error messages, e.g. "CycloneDX SBOM". */
    public String displayName() {
        return displayName;
    }
}
