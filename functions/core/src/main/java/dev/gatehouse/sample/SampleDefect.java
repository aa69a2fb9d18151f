package dev.gatehouse.sample;

/**
 * One thing wrong with a sample image, each matching one policy of the hardened bundle: the
 * demo and the end-to-end tests build one variant per defect and expect that policy's deny.
 */
public enum SampleDefect {
    UNSIGNED("no signature"),
    WRONG_SIGNER("signed by a key the trust configuration does not name"),
    TAMPERED_ATTESTATION("provenance payload changed after signing"),
    UNTRUSTED_BUILDER("provenance from a builder that is not trusted"),
    MISSING_SBOM("no SBOM attached"),
    ROOT_USER("runs as root"),
    SHELL_PRESENT("ships /bin/sh"),
    CRITICAL_CVE_PAST_SLA("a fixable critical CVE published 30 days ago"),
    AGPL_COMPONENT("a component under AGPL-3.0"),
    UNAPPROVED_BASE("built on a base image that is not approved"),
    NO_VEX("the VEX statement that suppresses a critical CVE is missing");

    private final String description;

    SampleDefect(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
