package dev.gatehouse.vex;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.sbom.PackageUrl;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What an image or a component is known as, for matching VEX products against it: its purl, the
 * image digests it answers to, its BOM-Link in the SBOM it came from, its name and version, and
 * literal identifiers (CSAF product ids, image references). Every field is optional.
 *
 * <p>An image identity carries the digest of its manifest and, when the image was reached
 * through an index, the digest of that index too: a VEX product naming an index digest covers
 * every platform manifest of the index.
 */
public record ProductIdentity(
        PackageUrl purl, Set<Digest> digests, BomLink bomLink, String name, String version, Set<String> identifiers) {

    public ProductIdentity {
        digests = digests == null ? Set.of() : Set.copyOf(digests);
        identifiers = identifiers == null ? Set.of() : Set.copyOf(identifiers);
    }

    public static ProductIdentity ofPurl(PackageUrl purl) {
        return new ProductIdentity(purl, Set.of(), null, purl.name(), purl.version(), Set.of(purl.toString()));
    }

    /**
     * A platform image: {@code repository} like {@code ghcr.io/acme/app} (may be null), the
     * manifest digest, and the digest of the index it was selected from (may be null).
     */
    public static ProductIdentity ofImage(String repository, Digest manifest, Digest index) {
        Set<Digest> digests = new HashSet<>();
        digests.add(manifest);
        if (index != null) {
            digests.add(index);
        }
        Set<String> ids = new HashSet<>();
        PackageUrl purl = null;
        if (repository != null && !repository.isBlank()) {
            String repo = repository.strip();
            String name = repo.substring(repo.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            purl = new PackageUrl("oci", null, name, manifest.toString(), java.util.Map.of("repository_url", repo), null);
            for (Digest d : digests) {
                ids.add(repo + "@" + d);
            }
            ids.add(repo);
        }
        for (Digest d : digests) {
            ids.add(d.toString());
        }
        return new ProductIdentity(purl, digests, null, purl == null ? null : purl.name(), null, ids);
    }

    /**
     * The identity a bare identifier string stands for: a purl, an image digest, an image
     * reference with a digest, a BOM-Link, or any other literal.
     */
    public static ProductIdentity ofIdentifier(String identifier) {
        ProductId id = ProductId.ofIdentifier(identifier);
        Set<Digest> digests = id.imageDigest() == null ? Set.of() : Set.of(id.imageDigest());
        return new ProductIdentity(id.purl(), digests, id.bomLink(), id.purl() == null ? null : id.purl().name(),
                id.purl() == null ? null : id.purl().version(), Set.of(identifier.strip()));
    }

    /** One identity answering to everything either answers to (the first one's purl and name win). */
    public ProductIdentity union(ProductIdentity other) {
        Set<Digest> allDigests = new HashSet<>(digests);
        allDigests.addAll(other.digests);
        Set<String> allIds = new HashSet<>(identifiers);
        allIds.addAll(other.identifiers);
        return new ProductIdentity(purl != null ? purl : other.purl, allDigests, bomLink != null ? bomLink : other.bomLink,
                name != null ? name : other.name, version != null ? version : other.version, allIds);
    }

    public ProductIdentity withBomLink(BomLink link) {
        return new ProductIdentity(purl, digests, link, name, version, identifiers);
    }

    /** A short form for reports. */
    public String describe() {
        if (purl != null) {
            return purl.toString();
        }
        if (!digests.isEmpty()) {
            return digests.iterator().next().toString();
        }
        if (name != null) {
            return version == null ? name : name + "@" + version;
        }
        return identifiers.isEmpty() ? "?" : identifiers.iterator().next();
    }
}
