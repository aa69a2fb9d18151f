package dev.gatehouse.sbom;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.DialectId;
import com.networknt.schema.serialization.DefaultNodeReader;
import dev.gatehouse.io.UntrustedJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;

/**
 * The JSON schema of each CycloneDX version that has one. 1.2 to 1.6 are the schemas bundled with
 * cyclonedx-core-java, loaded the way its own {@code JsonParser} loads them. The library stops at
 * 1.6, so 1.7 uses the official specification files kept in this package's resources
 * ({@code cyclonedx-1.7/}, origin and licence in the NOTICE there), loaded with the same validator
 * and JSON Schema draft-07 dialect, formats asserted.
 *
 * <p>Offline by construction: the {@code http://cyclonedx.org/schema/...} identifiers the 1.7 files
 * {@code $ref} are mapped to the classpath copies, and any other location is refused when the
 * schema loads instead of being fetched.
 */
final class CycloneDxSchemas {

    /** The newest version with a bundled schema; newer 1.x documents are checked against it. */
    static final String NEWEST = "1.7";

    private static final String SCHEMA_ID_BASE = "http://cyclonedx.org/schema/";
    private static final String BUNDLED_17 = "classpath:dev/gatehouse/sbom/cyclonedx-1.7/";
    private static final List<String> BUNDLED_17_FILES = List.of(
            "bom-1.7.schema.json", "cryptography-defs.schema.json", "spdx.schema.json", "jsf-0.82.schema.json");
    private static final Map<String, Schema> LOADED = new HashMap<>();

    private CycloneDxSchemas() {}

    /** Whether the version has a bundled JSON schema (1.2 to {@link #NEWEST}). */
    static boolean has(String version) {
        return NEWEST.equals(version) || libraryVersion(version) != null;
    }

    /** The schema of a version {@link #has} accepts; loaded once per JVM. */
    static synchronized Schema of(String version) {
        return LOADED.computeIfAbsent(version, v -> NEWEST.equals(v) ? loadBundled17() : loadFromLibrary(libraryVersion(v)));
    }

    private static Version libraryVersion(String version) {
        Version v = version == null ? null : Version.fromVersionString(version);
        return v != null && v.getVersion() >= Version.VERSION_12.getVersion() ? v : null;
    }

    private static Schema loadFromLibrary(Version version) {
        try {
            return new JsonParser().getJsonSchema(version, UntrustedJson.mapper());
        } catch (IOException e) {
            throw new UncheckedIOException("bundled CycloneDX " + version.getVersionString() + " schema unreadable", e);
        }
    }

    private static Schema loadBundled17() {
        Map<String, String> classpathById = BUNDLED_17_FILES.stream()
                .collect(Collectors.toMap(file -> SCHEMA_ID_BASE + file, file -> BUNDLED_17 + file));
        SchemaRegistry registry = SchemaRegistry.builder()
                .defaultDialectId(DialectId.DRAFT_7)
                .nodeReader(DefaultNodeReader.builder().jsonMapper(UntrustedJson.mapper()).build())
                .schemaLoader(loader -> loader
                        .fetchRemoteResources(false)
                        .allow(iri -> classpathById.containsKey(iri.toString()) || iri.toString().startsWith(BUNDLED_17))
                        .schemaIdResolvers(ids -> ids.mappings(classpathById)))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().preloadSchema(true).build())
                .build();
        return registry.getSchema(SchemaLocation.of(SCHEMA_ID_BASE + BUNDLED_17_FILES.get(0)));
    }
}
