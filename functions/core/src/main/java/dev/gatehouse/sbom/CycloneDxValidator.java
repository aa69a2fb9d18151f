package dev.gatehouse.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import dev.gatehouse.io.Printable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks CycloneDX JSON against the JSON schema of its declared version (1.2 to 1.7, formats
 * asserted; see {@link CycloneDxSchemas}). Validity is the schema's verdict, as in the
 * specification's own conformance suite; the referential rules the schema cannot express (unique bom-refs, dependencies naming
 * known refs) are reported as warnings, and the inventory ignores edges to unknown refs.
 *
 * <p>A document declaring a newer 1.x version than the bundled schemas (1.8, ...) is checked
 * against the newest one. Properties that schema does not know are reported as warnings (the
 * newer spec added them), every other violation still makes the document invalid, and the
 * result always carries a warning saying so.
 */
final class CycloneDxValidator {

    private static final int MAX_REFERENCE_WARNINGS = 20;
    private static final int MAX_LISTED_ENUM_VALUES = 50;
    private static final int MAX_MESSAGE_CHARS = 500;

    private CycloneDxValidator() {}

    /** The violations, plus warnings appended to {@code warnings}. */
    static List<SchemaViolation> validate(SbomDocument document, List<String> warnings) {
        String declared = document.specVersion();
        if (declared == null) {
            return List.of(new SchemaViolation("/specVersion", "required property 'specVersion' not found or not a string"));
        }
        String checkedAs = declared;
        boolean newer = false;
        if (!CycloneDxSchemas.has(declared)) {
            if (declared.equals("1.0") || declared.equals("1.1")) {
                return List.of(new SchemaViolation("/specVersion", "CycloneDX " + declared
                        + " has no JSON format (supported: 1.2 to " + CycloneDxSchemas.NEWEST + ")"));
            }
            if (!isNewerOneDotX(declared)) {
                return List.of(new SchemaViolation("/specVersion", "unsupported CycloneDX version '" + declared
                        + "' (supported: 1.2 to " + CycloneDxSchemas.NEWEST + ")"));
            }
            checkedAs = CycloneDxSchemas.NEWEST;
            newer = true;
            warnings.add("CycloneDX " + declared + " is newer than the bundled schemas: checked against the "
                    + checkedAs + " schema, properties unknown to it are not checked");
        }
        List<SchemaViolation> violations = new ArrayList<>();
        for (Error error : CycloneDxSchemas.of(checkedAs).validate(document.root())) {
            String location = error.getInstanceLocation().toString();
            location = location.equals("$") || location.equals("/") ? "" : location;
            if (location.equals("/$schema") && "enum".equals(error.getKeyword()) && ownSchemaRevision(document.root(), declared)) {
                continue;
            }
            if (newer && "additionalProperties".equals(error.getKeyword())) {
                warnings.add("CycloneDX " + declared + " property not in the " + checkedAs
                        + " schema: " + (location.isEmpty() ? "/" : location) + "/" + error.getProperty());
                continue;
            }
            violations.add(new SchemaViolation(Printable.oneLine(location), message(error)));
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
     * The validator's message, quoted input made printable. An enumeration as long as the SPDX
     * licence list (700 ids) is summarised instead of listed.
     */
    private static String message(Error error) {
        JsonNode allowed = error.getSchemaNode();
        if ("enum".equals(error.getKeyword()) && allowed != null && allowed.size() > MAX_LISTED_ENUM_VALUES) {
            JsonNode value = error.getInstanceNode();
            String shown = value == null ? "the value" : "'" + abbreviate(value.isTextual() ? value.asText() : value.toString()) + "'";
            return Printable.oneLine(shown + " is not one of the " + allowed.size() + " values the schema allows");
        }
        return Printable.oneLine(error.getMessage(), MAX_MESSAGE_CHARS);
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
        return declared.matches("1\\.[0-9]{1,3}")
                && Integer.parseInt(declared.substring(2)) > Integer.parseInt(CycloneDxSchemas.NEWEST.substring(2));
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
