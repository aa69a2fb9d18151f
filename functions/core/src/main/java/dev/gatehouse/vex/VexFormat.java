package dev.gatehouse.vex;

/** The VEX document formats Gatehouse reads. */
public enum VexFormat {
    OPENVEX("OpenVEX"),
    CYCLONEDX("CycloneDX VEX"),
    CSAF("CSAF VEX");

    private final String displayName;

    VexFormat(String displayName) {
        this.displayName = displayName;
    }

    /** The name used in error messages and reports. */
    public String displayName() {
        return displayName;
    }
}
