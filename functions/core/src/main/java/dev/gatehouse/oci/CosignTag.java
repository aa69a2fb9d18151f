package dev.gatehouse.oci;

/**
 * cosign's tag scheme for artifacts attached to an image: {@code sha256-<hex>.sig}, {@code .att}
 * and {@code .sbom} in the image's own repository.
 */
public enum CosignTag {
    SIGNATURE("sig", "dev.cosignproject.cosign/sigs"),
    ATTESTATION("att", "dev.cosignproject.cosign/atts"),
    SBOM("sbom", "dev.cosignproject.cosign/sboms");

    private final String suffix;
    private final String layoutKind;

    CosignTag(String suffix, String layoutKind) {
        this.suffix = suffix;
        this.layoutKind = layoutKind;
    }

    /** The tag cosign uses for this kind of artifact attached to {@code subject}. */
    public String tagFor(Digest subject) {
        return subject.tagForm() + "." + suffix;
    }

    /** The {@code kind} annotation {@code cosign save} writes on this artifact in an OCI layout's index.json. */
    public String layoutKind() {
        return layoutKind;
    }

    public String suffix() {
        return suffix;
    }
}
