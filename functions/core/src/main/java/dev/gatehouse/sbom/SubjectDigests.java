package dev.gatehouse.sbom;

import dev.gatehouse.oci.Digest;

/** Finds the image digest an SBOM names its subject by: the version, or the version of an oci purl. */
final class SubjectDigests {

    private SubjectDigests() {}

    static Digest of(String version, PackageUrl purl) {
        if (version != null && Digest.isDigest(version)) {
            return Digest.parse(version);
        }
        if (purl != null && purl.version() != null && Digest.isDigest(purl.version())) {
            return Digest.parse(purl.version());
        }
        return null;
    }
}
