package dev.gatehouse.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.gatehouse.io.UntrustedJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;

/**
 * Checks CycloneDX JSON against the JSON schemas bundled with cyclonedx-core-java (1.2 to 1.6,
 * formats asserted). Validity is the schema's verdict, as in the specification's own conformance
 * suite; the referential rules the schema cannot express (unique bom-refs, dependencies naming
 * known refs) are reported as warnings, and the inventory ignores edges to unknown refs.
 *
 * <p>A document declaring a newer 1.x version than the bundled schemas (1.7, ...) is checked
 * against the newest one. Properties that schema does not know are reported as warnings (the
 * newer spec added them), every other violation still makes the document invalid, and the
 * result always carries a warning saying so.
 */
final class CycloneDxValidator {

    static final Version NEWEST = Version.VERSION_16;
    private static final int MAX_REFERENCE_WARNINGS = 20;
    private static final Map<Version, Schema> SCHEMAS = new EnumMap<>(Version.class);

    private CycloneDxValidator() {}

    /** The violations, plus warnings appended to {@code warnings}. */
    static List<SchemaViolation> validate(SbomDocument document, List<String> warnings) {
        String declared = document.specVersion();
        if (declared == null) {
            return List.of(new SchemaViolation("/specVersion", "required property 'specVersion' not found or not a string"));
        }
        Version version = Version.fromVersionString(declared);
        boolean newer = false;
        if (version == null) {
            if (!isNewerOneDotX(declared)) {
                return List.of(new SchemaViolation("/specVersion", "unsupported CycloneDX version '" + declared
                        + "' (supported: 1.2 to " + NEWEST.getVersionString() + ")"));
            }
            version = NEWEST;
            newer = true;
            warnings.add("CycloneDX " + declared + " is newer than the bundled schemas: checked against the "
                    + NEWEST.getVersionString() + " schema, properties unknown to it are not checked");
        } else if (version.getVersion() < Version.VERSION_12.getVersion()) {
            return List.of(new SchemaViolation("/specVersion", "CycloneDX " + declared
                    + " has no JSON format (supported: 1.2 to " + NEWEST.getVersionString() + ")"));
        }
        List<SchemaViolation> violations = new ArrayList<>();
        for (Error error : schema(version).validate(document.root())) {
            String location = error.getInstanceLocation().toString();
            location = location.equals("$") || location.equals("/") ? "" : location;
            if (location.equals("/$schema") && "enum".equals(error.getKeyword()) && ownSchemaRevision(document.root(), declared)) {
                continue;
            }
            if (newer && "additionalProperties".equals(error.getKeyword())) {
                warnings.add("CycloneDX " + declared + " property not in the " + NEWEST.getVersionString()
                        + " schema: " + (location.isEmpty() ? "/" : location) + "/" + error.getProperty());
                continue;
            }
            violations.add(new SchemaViolation(location, error.getMessage()));
        }
        if (violations.isEmpty()) {
            List<SchemaViolation> referenceProblems = new ArrayList<>();
            checkReferences(document.root(), referenceProblems);
            referenceProblems.stream().limit(MAX_REFERENCE_WARNINGS).forEach(v -> warnings.add(v.toString()));
            if (referenceProblems.size() > MAX_REFERENCE_WARNINGS) {
                warnings.add((referenceProblems.size() - MAX_REFERENCE_WARNINGS) + " more reference problems");
            }
        }
        return violations;
    }

    /**
     * The 1.2 and 1.3 schemas list one {@code $schema} value, but the published schemas carry revision
     * letters in their ids (bom-1.2b, bom-1.3a) and generators name those: any revision of the declared
     * version is that version's schema.
     */
    private static boolean ownSchemaRevision(JsonNode root, String declared) {
        String named = root.path("$schema").asText("");
        return named.matches("https?://cyclonedx\\.org/schema/bom-" + Pattern.quote(declared) + "[a-z]?\\.schema\\.json");
    }

    private static boolean isNewerOneDotX(String declared) {
        if (!declared.matches("1\\.[0-9]{1,3}")) {
            return false;
        }
        return Integer.parseInt(declared.substring(2)) > Integer.parseInt(NEWEST.getVersionString().substring(2));
    }

    private static synchronized Schema schema(Version version) {
        return SCHEMAS.computeIfAbsent(version, v -> {
            try {
                return new JsonParser().getJsonSchema(v, UntrustedJson.mapper());
            } catch (IOException e) {
                throw new UncheckedIOException("bundled CycloneDX " + v.getVersionString() + " schema unreadable", e);
            }
        });
    }

    private static void checkReferences(JsonNode root, List<SchemaViolation> violations) {
        Set<String> refs = new HashSet<>();
        JsonNode subject = root.path("metadata").path("component");
        collectRefs(subject, "/metadata/component", refs, violations);
        JsonNode components = root.path("components");
        for (int i = 0; i < components.size(); i++) {
            collectTree(components.get(i), "/components/" + i, refs, violations);
        }
        JsonNode services = root.path("services");
        for (int i = 0; i < services.size(); i++) {
            collectServices(services.get(i), "/services/" + i, refs, violations);
        }
        JsonNode dependencies = root.path("dependencies");
        for (int i = 0; i < dependencies.size(); i++) {
            JsonNode dependency = dependencies.get(i);
            String ref = dependency.path("ref").asText();
            if (!refs.contains(ref)) {
                violations.add(new SchemaViolation("/dependencies/" + i + "/ref",
                        "'" + abbreviate(ref) + "' is not the bom-ref of a component or service"));
            }
            JsonNode dependsOn = dependency.path("dependsOn");
            for (int j = 0; j < dependsOn.size(); j++) {
                if (!refs.contains(dependsOn.get(j).asText())) {
                    violations.add(new SchemaViolation("/dependencies/" + i + "/dependsOn/" + j,
                            "'" + abbreviate(dependsOn.get(j).asText()) + "' is not the bom-ref of a component or service"));
                }
            }
        }
    }

    private static void collectTree(JsonNode component, String pointer, Set<String> refs,
            List<SchemaViolation> violations) {
        collectRefs(component, pointer, refs, violations);
        JsonNode nested = component.path("components");
        for (int i = 0; i < nested.size(); i++) {
            collectTree(nested.get(i), pointer + "/components/" + i, refs, violations);
        }
    }

    private static void collectServices(JsonNode service, String pointer, Set<String> refs,
            List<SchemaViolation> violations) {
        collectRefs(service, pointer, refs, violations);
        JsonNode nested = service.path("services");
        for (int i = 0; i < nested.size(); i++) {
            collectServices(nested.get(i), pointer + "/services/" + i, refs, violations);
        }
    }

    private static void collectRefs(JsonNode element, String pointer, Set<String> refs,
            List<SchemaViolation> violations) {
        JsonNode ref = element.get("bom-ref");
        if (ref != null && ref.isTextual() && !refs.add(ref.asText())) {
            violations.add(new SchemaViolation(pointer + "/bom-ref", "bom-ref '" + abbreviate(ref.asText())
                    + "' is not unique in the BOM"));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 97) + "..." : s;
    }
}
