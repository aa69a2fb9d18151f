package dev.gatehouse.vuln;

/** The scanner report formats Gatehouse reads and writes back. */
public enum ScanFormat {
    SARIF("SARIF 2.1"),
    TRIVY_JSON("Trivy JSON"),
    GRYPE_JSON("Grype JSON"),
    CYCLONEDX("CycloneDX vulnerabilities"),
    COSIGN_VULN("cosign vuln predicate");

    private final String displayName;

    ScanFormat(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
