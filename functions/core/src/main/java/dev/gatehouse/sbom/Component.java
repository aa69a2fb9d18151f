package dev.gatehouse.sbom;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One component of an SBOM, normalised across formats.
 *
 * @param ref the document-local identifier (CycloneDX {@code bom-ref}, SPDX {@code SPDXID}); never
 *     null: components without one get a synthetic ref unique in the inventory
 * @param name the component name
 * @param version the version as the document states it, or null
 * @param purl the package URL, or null when the document has none or it does not parse
 * @param type the document's own type (CycloneDX {@code type}, SPDX {@code primaryPackagePurpose}), or null
 * @param kind the normalised kind
 * @param licenses SPDX license ids or expressions, or license names as written when not SPDX
 * @param supplier the supplier (or, failing that, the publisher/originator) name, or null
 * @param hashes algorithm (normalised, e.g. {@code SHA-256}) to lower-case hex
 * @param properties tool-specific name/value pairs, in document order
 */
public record Component(
        String ref,
        String name,
        String version,
        PackageUrl purl,
        String type,
        ComponentKind kind,
        List<String> licenses,
        String supplier,
        Map<String, String> hashes,
        List<ComponentProperty> properties) {

    public Component {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        licenses = List.copyOf(licenses);
        hashes = Collections.unmodifiableMap(new TreeMap<>(hashes));
        properties = List.copyOf(properties);
    }

    /** The value of the first property with this name. */
    public Optional<String> property(String propertyName) {
        for (ComponentProperty p : properties) {
            if (p.name().equals(propertyName)) {
                return Optional.of(p.value());
            }
        }
        return Optional.empty();
    }
}
