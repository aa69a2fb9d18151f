package dev.gatehouse.vex;

import dev.gatehouse.sbom.PackageUrl;
import java.util.Locale;
import java.util.Optional;

/**
 * A CycloneDX BOM-Link, {@code urn:cdx:serialNumber/version#bom-ref}: a component of one exact
 * version of one SBOM. It matches only a component of the SBOM with that serial number and version.
 *
 * @param serial the SBOM serial number without the {@code urn:uuid:} prefix, lower case
 * @param version the SBOM version (CycloneDX default 1)
 * @param ref the bom-ref inside that SBOM as written in the link, or null for the whole SBOM
 */
public record BomLink(String serial, int version, String ref) {

    /**
     * Whether this link names the component with the given bom-ref of the given SBOM. The fragment
     * is compared as written and percent-decoded, since writers differ on encoding it.
     */
    public boolean names(BomLink component) {
        if (!serial.equals(component.serial) || version != component.version) {
            return false;
        }
        if (ref == null || component.ref == null) {
            return ref == null && component.ref == null;
        }
        return ref.equals(component.ref) || decode(ref).equals(decode(component.ref));
    }

    /**
     * Whether this link, into the same SBOM, names the component with this purl by the purl
     * instead of the bom-ref, as trivy reads BOM-Links (its own SBOMs use purls as bom-refs, other
     * generators do not, and VEX authors write the purl either way).
     */
    public boolean namesByPurl(BomLink component, PackageUrl purl) {
        if (ref == null || purl == null || !serial.equals(component.serial) || version != component.version) {
            return false;
        }
        return PackageUrl.tryParse(ref).map(purl::equals).orElse(false)
                || PackageUrl.tryParse(decode(ref)).map(purl::equals).orElse(false);
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    public static Optional<BomLink> parse(String value) {
        if (value == null || !value.regionMatches(true, 0, "urn:cdx:", 0, 8)) {
            return Optional.empty();
        }
        String rest = value.substring(8);
        String ref = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            ref = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        try {
            int version = Integer.parseInt(rest.substring(slash + 1));
            return Optional.of(new BomLink(rest.substring(0, slash).toLowerCase(Locale.ROOT), version, ref));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The BOM-Link of a component of an SBOM given its {@code serialNumber} field and version. */
    public static Optional<BomLink> of(String serialNumber, int version, String ref) {
        if (serialNumber == null || serialNumber.isBlank()) {
            return Optional.empty();
        }
        String serial = serialNumber.regionMatches(true, 0, "urn:uuid:", 0, 9) ? serialNumber.substring(9) : serialNumber;
        return Optional.of(new BomLink(serial.toLowerCase(Locale.ROOT), version, ref));
    }
}
