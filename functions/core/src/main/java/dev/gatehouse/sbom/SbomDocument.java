package dev.gatehouse.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An SBOM found in its wrapping and parsed once; validation and inventory extraction share it.
 *
 * @param format the format, from the document's own marker ({@code bomFormat}, {@code spdxVersion})
 * @param specVersion the declared version ("1.5", "2.3"), or null when the document does not say
 * @param root the SBOM itself (the predicate, when it came in a statement)
 * @param wrapping how it was carried, null for a plain document
 * @param warnings what was noticed while unwrapping
 */
record SbomDocument(SbomFormat format, String specVersion, JsonNode root, String wrapping, List<String> warnings) {

    SbomDocument {
        warnings = List.copyOf(warnings);
    }

    /** The format and version for messages, e.g. "CycloneDX 1.5 SBOM". */
    String describe() {
        String name = format == SbomFormat.CYCLONEDX ? "CycloneDX" : "SPDX";
        return name + (specVersion == null ? "" : " " + specVersion) + " SBOM";
    }
}
