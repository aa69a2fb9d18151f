package dev.gatehouse.sbom;

import java.util.List;
import java.util.Objects;

/**
 * The normalised content of one SBOM, whatever its format: what it describes, every component it
 * lists, the dependency edges between them, and the facts policies need.
 *
 * <p>{@code components} holds every component of the document, in document order: for CycloneDX
 * all of {@code components} including nested ones (not {@code metadata.component}, which is the
 * subject, nor tools); for SPDX every entry of {@code packages}, the described one included. SPDX
 * {@code files} entries are in {@code files} (kind {@link ComponentKind#FILE}).
 *
 * @param format the document format
 * @param specVersion the specification version the document declares, e.g. "1.5" or "2.3"
 * @param subject what the SBOM describes, or null when it does not say
 * @param os the distribution, or null when the SBOM does not name one
 * @param components the components, see above
 * @param files SPDX file entries; empty for CycloneDX, whose files are components of type file
 * @param dependencies dependency and containment edges between refs
 * @param facts derived facts for policies
 * @param warnings what the reader could not fully check or had to interpret (e.g. a newer spec
 *     version read as best effort); empty when none
 */
public record Inventory(
        SbomFormat format,
        String specVersion,
        SbomSubject subject,
        OperatingSystem os,
        List<Component> components,
        List<Component> files,
        List<DependencyEdge> dependencies,
        InventoryFacts facts,
        List<String> warnings) {

    public Inventory {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(specVersion, "specVersion");
        Objects.requireNonNull(facts, "facts");
        components = List.copyOf(components);
        files = List.copyOf(files);
        dependencies = List.copyOf(dependencies);
        warnings = List.copyOf(warnings);
    }
}
