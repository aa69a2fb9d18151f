package dev.gatehouse.sbom;

import static dev.gatehouse.sbom.CycloneDxInventoryReader.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the inventory of an SPDX 2.2/2.3 JSON document that passed validation: packages become
 * components, files become file entries, dependency and containment relationships between
 * packages become edges, and the described package becomes the subject.
 */
final class SpdxInventoryReader {

    private static final Set<String> FORWARD_EDGES = Set.of("DEPENDS_ON", "CONTAINS");
    private static final Set<String> REVERSE_EDGES = Set.of("DEPENDENCY_OF", "RUNTIME_DEPENDENCY_OF",
            "BUILD_DEPENDENCY_OF", "DEV_DEPENDENCY_OF", "OPTIONAL_DEPENDENCY_OF", "PROVIDED_DEPENDENCY_OF",
            "TEST_DEPENDENCY_OF", "CONTAINED_BY");

    private final SbomDocument document;
    private final int maxComponents;
    private final List<String> warnings;
    private int invalidPurls;
    private String firstInvalidPurl;

    private SpdxInventoryReader(SbomDocument document, int maxComponents, List<String> warnings) {
        this.document = document;
        this.maxComponents = maxComponents;
        this.warnings = warnings;
    }

    static Inventory read(SbomDocument document, int maxComponents, List<String> warnings)
            throws MalformedInputException {
        return new SpdxInventoryReader(document, maxComponents, warnings).read();
    }

    private Inventory read() throws MalformedInputException {
        JsonNode root = document.root();
        JsonNode packages = root.path("packages");
        JsonNode fileNodes = root.path("files");
        if (packages.size() > maxComponents || fileNodes.size() > maxComponents) {
            throw new MalformedInputException(document.describe(), packages.size() > maxComponents ? "/packages" : "/files",
                    "more than " + maxComponents + " entries; refusing to read");
        }
        List<Component> components = new ArrayList<>(packages.size());
        Map<String, Component> byId = new HashMap<>();
        for (int i = 0; i < packages.size(); i++) {
            Component c = component(packages.get(i), "/packages/" + i);
            components.add(c);
            byId.put(c.ref(), c);
        }
        List<Component> files = new ArrayList<>(fileNodes.size());
        for (int i = 0; i < fileNodes.size(); i++) {
            files.add(file(fileNodes.get(i)));
        }
        if (invalidPurls > 0) {
            warnings.add(invalidPurls + " purls are not valid package URLs and were ignored, first at " + firstInvalidPurl);
        }
        Set<DependencyEdge> edges = new LinkedHashSet<>();
        List<String> described = new ArrayList<>();
        for (JsonNode id : root.path("documentDescribes")) {
            described.add(id.asText());
        }
        for (JsonNode r : root.path("relationships")) {
            String type = text(r, "relationshipType");
            String a = text(r, "spdxElementId");
            String b = text(r, "relatedSpdxElement");
            if ("DESCRIBES".equals(type) && "SPDXRef-DOCUMENT".equals(a)) {
                described.add(b);
            } else if ("DESCRIBED_BY".equals(type) && "SPDXRef-DOCUMENT".equals(b)) {
                described.add(a);
            } else if (byId.containsKey(a) && byId.containsKey(b)) {
                if (FORWARD_EDGES.contains(type)) {
                    edges.add(new DependencyEdge(a, b));
                } else if (REVERSE_EDGES.contains(type)) {
                    edges.add(new DependencyEdge(b, a));
                }
            }
        }
        SbomSubject subject = described.stream().map(byId::get).filter(c -> c != null).findFirst()
                .map(c -> new SbomSubject(c.ref(), c.name(), c.version(), SubjectDigests.of(c.version(), c.purl()),
                        c.purl(), c.type()))
                .orElse(null);
        OperatingSystem os = components.stream()
                .filter(c -> "OPERATING-SYSTEM".equals(c.type()))
                .findFirst()
                .map(c -> new OperatingSystem(c.name(), c.version()))
                .orElseGet(() -> InventoryFactsCollector.distroOf(components));
        return new Inventory(SbomFormat.SPDX, document.specVersion(), subject, os, components, files,
                List.copyOf(edges), InventoryFactsCollector.collect(components, files), warnings);
    }

    private Component component(JsonNode pkg, String pointer) {
        ComponentDraft d = new ComponentDraft();
        d.ref = text(pkg, "SPDXID");
        d.name = text(pkg, "name");
        d.version = text(pkg, "versionInfo");
        d.type = text(pkg, "primaryPackagePurpose");
        JsonNode refs = pkg.path("externalRefs");
        PackageUrl fallbackPurl = null;
        for (int i = 0; i < refs.size(); i++) {
            JsonNode ref = refs.get(i);
            String category = text(ref, "referenceCategory");
            String type = text(ref, "referenceType");
            String locator = text(ref, "referenceLocator");
            boolean packageManager = "PACKAGE-MANAGER".equals(category) || "PACKAGE_MANAGER".equals(category);
            if ("purl".equals(type) && packageManager && d.purl == null) {
                d.purl = PackageUrl.tryParse(locator).orElse(null);
                if (d.purl == null && invalidPurls++ == 0) {
                    firstInvalidPurl = pointer + "/externalRefs/" + i + ": '" + locator + "'";
                }
            } else if (type != null && locator != null) {
                if (packageManager && fallbackPurl == null) {
                    fallbackPurl = purlFromLocator(type, locator);
                }
                d.properties.add(new ComponentProperty("spdx:externalRef:" + type, locator));
            }
        }
        if (d.purl == null) {
            d.purl = fallbackPurl;
        }
        String license = meaningful(text(pkg, "licenseConcluded"));
        if (license == null) {
            license = meaningful(text(pkg, "licenseDeclared"));
        }
        if (license != null) {
            d.licenses.add(license);
        }
        String supplier = party(text(pkg, "supplier"));
        d.supplier = supplier != null ? supplier : party(text(pkg, "originator"));
        for (JsonNode checksum : pkg.path("checksums")) {
            d.hash(text(checksum, "algorithm"), text(checksum, "checksumValue"));
        }
        String sourceInfo = text(pkg, "sourceInfo");
        if (sourceInfo != null) {
            d.properties.add(new ComponentProperty("spdx:sourceInfo", sourceInfo));
        }
        String purpose = d.type;
        ComponentKind kind = "CONTAINER".equals(purpose) ? ComponentKind.CONTAINER
                : "FILE".equals(purpose) ? ComponentKind.FILE
                : "OPERATING-SYSTEM".equals(purpose) ? ComponentKind.OTHER
                : ComponentClassifier.classify("APPLICATION".equals(purpose) ? "application" : null, d.purl, d);
        return d.build(kind);
    }

    /**
     * The purl equivalent of SPDX's older package-manager reference types: maven-central
     * {@code group:artifact:version}, npm {@code name@version}, nuget {@code name/version}.
     */
    static PackageUrl purlFromLocator(String type, String locator) {
        String purl = switch (type) {
            case "maven-central" -> {
                String[] gav = locator.split(":");
                yield gav.length == 3 ? "pkg:maven/" + gav[0] + "/" + gav[1] + "@" + gav[2] : null;
            }
            case "npm" -> {
                int at = locator.lastIndexOf('@');
                yield at > 0 ? "pkg:npm/" + locator.substring(0, at) + "@" + locator.substring(at + 1) : null;
            }
            case "nuget" -> {
                int slash = locator.lastIndexOf('/');
                yield slash > 0 ? "pkg:nuget/" + locator.substring(0, slash) + "@" + locator.substring(slash + 1) : null;
            }
            default -> null;
        };
        return purl == null ? null : PackageUrl.tryParse(purl).orElse(null);
    }

    private static Component file(JsonNode file) {
        ComponentDraft d = new ComponentDraft();
        d.ref = text(file, "SPDXID");
        d.name = text(file, "fileName");
        JsonNode types = file.path("fileTypes");
        d.type = types.isArray() && !types.isEmpty() ? types.get(0).asText() : null;
        String license = meaningful(text(file, "licenseConcluded"));
        if (license != null) {
            d.licenses.add(license);
        }
        for (JsonNode checksum : file.path("checksums")) {
            d.hash(text(checksum, "algorithm"), text(checksum, "checksumValue"));
        }
        return d.build(ComponentKind.FILE);
    }

    private static String meaningful(String license) {
        return license == null || license.isBlank() || license.equals("NOASSERTION") || license.equals("NONE")
                ? null : license;
    }

    /** "Organization: Acme (ops@acme.test)" -> "Acme (ops@acme.test)"; NOASSERTION -> null. */
    private static String party(String value) {
        if (value == null || value.isBlank() || value.equals("NOASSERTION")) {
            return null;
        }
        int colon = value.indexOf(':');
        return colon > 0 && (value.startsWith("Organization:") || value.startsWith("Person:") || value.startsWith("Tool:"))
                ? value.substring(colon + 1).strip() : value;
    }
}
