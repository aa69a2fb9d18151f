package dev.gatehouse.sbom;

import dev.gatehouse.oci.Digest;
import java.util.Objects;

/**
 * What the SBOM describes (CycloneDX {@code metadata.component}, SPDX DESCRIBES target), usually
 * a container image. {@code digest} is set when the document names the image by digest (as its
 * version or in an {@code oci} purl); every other field except {@code name} may be null.
 */
public record SbomSubject(String ref, String name, String version, Digest digest, PackageUrl purl, String type) {

    public SbomSubject {
        Objects.requireNonNull(name, "name");
    }
}
