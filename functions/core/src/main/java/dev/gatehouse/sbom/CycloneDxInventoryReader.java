package dev.gatehouse.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads the inventory of a CycloneDX JSON document that passed validation. */
final class CycloneDxInventoryReader {

    private final SbomDocument document;
    private final int maxComponents;
    private final List<String> warnings;
    private final List<Component> components = new ArrayList<>();
    private final Set<String> refs = new HashSet<>();
    private OperatingSystem os;
    private int invalidPurls;
    private String firstInvalidPurl;

    private CycloneDxInventoryReader(SbomDocument document, int maxComponents, List<String> warnings) {
        this.document = document;
        this.maxComponents = maxComponents;
        this.warnings = warnings;
    }

    static Inventory read(SbomDocument document, int maxComponents, List<String> warnings)
            throws MalformedInputException {
        return new CycloneDxInventoryReader(document, maxComponents, warnings).read();
    }

    private Inventory read() throws MalformedInputException {
        JsonNode root = document.root();
        SbomSubject subject = subject(root.path("metadata").path("component"));
        if (subject != null && subject.ref() != null) {
            refs.add(subject.ref());
        }
        JsonNode list = root.path("components");
        for (int i = 0; i < list.size(); i++) {
            walk(list.get(i), "/components/" + i);
        }
        if (invalidPurls > 0) {
            warnings.add(invalidPurls + " purls are not valid package URLs and were ignored, first at " + firstInvalidPurl);
        }
        Set<DependencyEdge> edges = new LinkedHashSet<>();
        JsonNode dependencies = root.path("dependencies");
        for (JsonNode dependency : dependencies) {
            String from = dependency.path("ref").asText();
            for (JsonNode to : dependency.path("dependsOn")) {
                if (refs.contains(from) && refs.contains(to.asText())) {
                    edges.add(new DependencyEdge(from, to.asText()));
                }
            }
        }
        OperatingSystem system = os != null ? os : InventoryFactsCollector.distroOf(components);
        return new Inventory(SbomFormat.CYCLONEDX, document.specVersion(), subject, system, components, List.of(),
                List.copyOf(edges), InventoryFactsCollector.collect(components, List.of()), warnings);
    }

    private void walk(JsonNode node, String pointer) throws MalformedInputException {
        if (components.size() >= maxComponents) {
            throw new MalformedInputException(document.describe(), pointer,
                    "more than " + maxComponents + " components; refusing to read further");
        }
        ComponentDraft draft = draft(node, pointer);
        if (!refs.add(draft.ref)) {
            draft.ref = pointer;
            refs.add(pointer);
        }
        Component component = draft.build();
        components.add(component);
        if (os == null && "operating-system".equals(component.type())) {
            os = new OperatingSystem(component.name(), component.version());
        }
        JsonNode nested = node.path("components");
        for (int i = 0; i < nested.size(); i++) {
            walk(nested.get(i), pointer + "/components/" + i);
        }
    }

    private ComponentDraft draft(JsonNode node, String pointer) {
        ComponentDraft d = new ComponentDraft();
        d.ref = textOr(node, "bom-ref", pointer);
        d.name = textOr(node, "name", "");
        d.version = text(node, "version");
        d.type = text(node, "type");
        String purl = text(node, "purl");
        if (purl != null) {
            d.purl = PackageUrl.tryParse(purl).orElse(null);
            if (d.purl == null && invalidPurls++ == 0) {
                firstInvalidPurl = pointer + "/purl: '" + abbreviate(purl) + "'";
            }
        }
        readLicenses(node.path("licenses"), d.licenses);
        d.supplier = firstNonNull(
                text(node.path("supplier"), "name"),
                text(node.path("manufacturer"), "name"),
                text(node, "publisher"),
                text(node, "author"),
                node.path("authors").isArray() && !node.path("authors").isEmpty()
                        ? text(node.path("authors").get(0), "name") : null);
        for (JsonNode hash : node.path("hashes")) {
            d.hash(text(hash, "alg"), text(hash, "content"));
        }
        for (JsonNode property : node.path("properties")) {
            String name = text(property, "name");
            if (name != null) {
                d.properties.add(new ComponentProperty(name, textOr(property, "value", "")));
            }
        }
        return d;
    }

    /**
     * Licence ids, names and expressions; 1.6 and 1.7 may mix all three in one list. When some are
     * acknowledged as {@code concluded}, only those count, as SPDX's licenseConcluded before
     * licenseDeclared: the declared ones are what the package claims, the concluded ones what was found.
     */
    private static void readLicenses(JsonNode choices, Set<String> into) {
        boolean anyConcluded = false;
        for (JsonNode choice : choices) {
            anyConcluded |= isConcluded(choice);
        }
        for (JsonNode choice : choices) {
            if (anyConcluded && !isConcluded(choice)) {
                continue;
            }
            JsonNode license = choice.path("license");
            String value = license.isObject() ? firstText(license, "id", "name") : text(choice, "expression");
            if (value != null) {
                into.add(value);
            }
        }
    }

    private static boolean isConcluded(JsonNode choice) {
        JsonNode license = choice.path("license");
        return "concluded".equals(text(license.isObject() ? license : choice, "acknowledgement"));
    }

    private SbomSubject subject(JsonNode node) {
        if (!node.isObject() || text(node, "name") == null) {
            return null;
        }
        PackageUrl purl = text(node, "purl") == null ? null : PackageUrl.tryParse(text(node, "purl")).orElse(null);
        String version = text(node, "version");
        version = version == null || version.isBlank() ? null : version;
        return new SbomSubject(text(node, "bom-ref"), text(node, "name"), version,
                SubjectDigests.of(version, purl), purl, text(node, "type"));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static String textOr(JsonNode node, String field, String fallback) {
        String value = text(node, field);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node, field);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 97) + "..." : s;
    }
}
