package dev.gatehouse.vex;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.sbom.PackageUrl;
import java.util.Set;

/**
 * How a VEX document names a product or subcomponent, and the rule that decides whether it names
 * a given {@link ProductIdentity} (written down in docs/vex.md):
 * <ul>
 *   <li>an image digest ({@code pkg:oci/NAME@sha256%3A...}, {@code REPO@sha256:...} or a bare
 *       digest) matches an identity answering to that digest; the name is not compared, the digest
 *       is the identity;</li>
 *   <li>a purl covers the identity's purl: same type, namespace and name, a version-less purl
 *       covers every version, its qualifiers must be a subset; a version range restricts it;</li>
 *   <li>a BOM-Link matches only the component with that bom-ref of the SBOM with that serial
 *       number and version;</li>
 *   <li>a component known only by name (CycloneDX without purl) matches the same name and
 *       version, or a version in its range;</li>
 *   <li>in every case, an identity listing the identifier or one of the aliases literally
 *       matches (CSAF product ids, image references).</li>
 * </ul>
 *
 * @param id the identifier as written ({@code @id}, bom-ref, CSAF product id)
 * @param purl the purl, when the identifier or a helper gives one
 * @param imageDigest the image digest, when the product is an image named by digest
 * @param bomLink the BOM-Link, when the product is named by one
 * @param name the product name, for products without purl or digest
 * @param version the exact version, with {@code name}
 * @param range a version range, when the statement covers a range rather than one version
 * @param aliases further literal identifiers (product names, CPEs)
 */
public record ProductId(
        String id, PackageUrl purl, Digest imageDigest, BomLink bomLink, String name, String version,
        VersionRange range, Set<String> aliases) {

    public ProductId {
        aliases = aliases == null ? Set.of() : Set.copyOf(aliases);
    }

    /** Interprets an identifier string (OpenVEX {@code @id}, a CSAF purl helper, a BOM-Link...). */
    public static ProductId ofIdentifier(String identifier) {
        String id = identifier.strip();
        var link = BomLink.parse(id);
        if (link.isPresent()) {
            return new ProductId(id, null, null, link.get(), null, null, null, Set.of());
        }
        if (id.regionMatches(true, 0, "pkg:", 0, 4)) {
            var purl = PackageUrl.tryParse(id);
            if (purl.isPresent()) {
                Digest digest = null;
                if (purl.get().type().equals("oci") && purl.get().version() != null && Digest.isDigest(purl.get().version())) {
                    digest = Digest.parse(purl.get().version());
                }
                return new ProductId(id, purl.get(), digest, null, null, null, null, Set.of());
            }
        }
        if (Digest.isDigest(id)) {
            return new ProductId(id, null, Digest.parse(id), null, null, null, null, Set.of());
        }
        int at = id.lastIndexOf('@');
        if (at > 0 && Digest.isDigest(id.substring(at + 1))) {
            return new ProductId(id, null, Digest.parse(id.substring(at + 1)), null, null, null, null, Set.of());
        }
        return new ProductId(id, null, null, null, null, null, null, Set.of());
    }

    public ProductId withRange(VersionRange newRange) {
        return new ProductId(id, purl, imageDigest, bomLink, name, version, newRange, aliases);
    }

    public ProductId withVersion(String exactVersion) {
        if (purl != null && purl.version() == null) {
            PackageUrl versioned = new PackageUrl(purl.type(), purl.namespace(), purl.name(), exactVersion, purl.qualifiers(), purl.subpath());
            return new ProductId(id, versioned, imageDigest, bomLink, name, exactVersion, range, aliases);
        }
        return new ProductId(id, purl, imageDigest, bomLink, name, exactVersion, range, aliases);
    }

    /** Whether this product names the identity (see the class comment). */
    public boolean matches(ProductIdentity target) {
        if (target.identifiers().contains(id)) {
            return true;
        }
        for (String alias : aliases) {
            if (target.identifiers().contains(alias)) {
                return true;
            }
        }
        if (imageDigest != null) {
            return target.digests().contains(imageDigest);
        }
        if (purl != null) {
            if (target.purl() == null) {
                return false;
            }
            if (range == null) {
                return purl.covers(target.purl());
            }
            return purl.withoutVersion().covers(target.purl()) && range.contains(target.purl().version());
        }
        if (bomLink != null) {
            return target.bomLink() != null && (bomLink.names(target.bomLink()) || bomLink.namesByPurl(target.bomLink(), target.purl()))
                    && versionMatches(target);
        }
        if (name != null) {
            return name.equals(target.name()) && versionMatches(target);
        }
        return false;
    }

    private boolean versionMatches(ProductIdentity target) {
        String targetVersion = target.version() != null ? target.version()
                : target.purl() == null ? null : target.purl().version();
        if (version != null && !version.equals(targetVersion)) {
            return false;
        }
        return range == null || range.contains(targetVersion);
    }

    /** A short form for reports. */
    public String describe() {
        String base = id != null ? id : purl != null ? purl.toString() : name;
        return range == null ? base : base + " " + range.text();
    }
}
