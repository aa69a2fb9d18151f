package dev.gatehouse.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Structural check of SPDX 2.2 and 2.3 JSON: the document fields the specification requires, the
 * shape and identifiers of packages, files and snippets, checksums, and relationships that refer
 * to elements that exist. No SPDX schema is bundled, so these rules are written out here.
 *
 * <p>Fields the specification requires but the inventory does not need (a package's
 * {@code downloadLocation}, the SPDX 2.2 license and copyright fields) are warnings, not
 * violations: widely used generators omit them, and their SBOMs must still be usable.
 */
final class SpdxValidator {

    private static final Pattern SPDX_ID = Pattern.compile("SPDXRef-[A-Za-z0-9.\\-]+");
    private static final Pattern DOCUMENT_REF = Pattern.compile("DocumentRef-[A-Za-z0-9.\\-]+");
    private static final Pattern CREATED = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    private static final Set<String> CHECKSUM_ALGORITHMS = Set.of("SHA1", "SHA224", "SHA256", "SHA384", "SHA512",
            "MD2", "MD4", "MD5", "MD6", "SHA3-256", "SHA3-384", "SHA3-512", "BLAKE2b-256", "BLAKE2b-384",
            "BLAKE2b-512", "BLAKE3", "ADLER32");
    private static final Set<String> PURPOSES = Set.of("APPLICATION", "FRAMEWORK", "LIBRARY", "CONTAINER",
            "OPERATING-SYSTEM", "DEVICE", "FIRMWARE", "SOURCE", "ARCHIVE", "FILE", "INSTALL", "OTHER");
    private static final Set<String> REFERENCE_CATEGORIES = Set.of("SECURITY", "PACKAGE-MANAGER", "PACKAGE_MANAGER",
            "PERSISTENT-ID", "PERSISTENT_ID", "OTHER");
    private static final Set<String> RELATIONSHIP_TYPES = Set.of("DESCRIBES", "DESCRIBED_BY", "CONTAINS",
            "CONTAINED_BY", "DEPENDS_ON", "DEPENDENCY_OF", "DEPENDENCY_MANIFEST_OF", "BUILD_DEPENDENCY_OF",
            "DEV_DEPENDENCY_OF", "OPTIONAL_DEPENDENCY_OF", "PROVIDED_DEPENDENCY_OF", "TEST_DEPENDENCY_OF",
            "RUNTIME_DEPENDENCY_OF", "EXAMPLE_OF", "GENERATES", "GENERATED_FROM", "ANCESTOR_OF", "DESCENDANT_OF",
            "VARIANT_OF", "DISTRIBUTION_ARTIFACT", "PATCH_FOR", "PATCH_APPLIED", "COPY_OF", "FILE_ADDED",
            "FILE_DELETED", "FILE_MODIFIED", "EXPANDED_FROM_ARCHIVE", "DYNAMIC_LINK", "STATIC_LINK", "DATA_FILE_OF",
            "TEST_CASE_OF", "BUILD_TOOL_OF", "DEV_TOOL_OF", "TEST_OF", "TEST_TOOL_OF", "DOCUMENTATION_OF",
            "OPTIONAL_COMPONENT_OF", "METAFILE_OF", "PACKAGE_OF", "AMENDS", "PREREQUISITE_FOR", "HAS_PREREQUISITE",
            "REQUIREMENT_DESCRIPTION_FOR", "SPECIFICATION_FOR", "OTHER");
    private static final int MAX_VIOLATIONS = 1000;

    private final JsonNode root;
    private final String version;
    private final List<SchemaViolation> violations = new ArrayList<>();
    /** Omissions the inventory tolerates, grouped by message. */
    private final Map<String, Omission> omissions = new LinkedHashMap<>();
    private final Set<String> elementIds = new HashSet<>();
    private final Set<String> documentRefs = new HashSet<>();

    private SpdxValidator(SbomDocument document) {
        this.root = document.root();
        this.version = document.specVersion();
    }

    static List<SchemaViolation> validate(SbomDocument document, List<String> warnings) {
        SpdxValidator v = new SpdxValidator(document);
        v.run();
        v.omissions.forEach((message, seen) -> warnings.add(message + " (" + seen.count + "x, first at " + seen.first + ")"));
        return v.violations;
    }

    private void run() {
        JsonNode spdxVersion = root.get("spdxVersion");
        if (!"2.2".equals(version) && !"2.3".equals(version)) {
            violation("/spdxVersion", "unsupported SPDX version " + spdxVersion + " (supported: SPDX-2.2, SPDX-2.3)");
            return;
        }
        if (!"SPDXRef-DOCUMENT".equals(text(root, "SPDXID"))) {
            violation("/SPDXID", "must be \"SPDXRef-DOCUMENT\"");
        }
        requireText(root, "name", "");
        if (!"CC0-1.0".equals(text(root, "dataLicense"))) {
            violation("/dataLicense", "must be \"CC0-1.0\"");
        }
        checkNamespace();
        checkCreationInfo();
        elementIds.add("SPDXRef-DOCUMENT");
        JsonNode externalDocs = array(root, "externalDocumentRefs", "");
        for (int i = 0; i < externalDocs.size(); i++) {
            String id = text(externalDocs.get(i), "externalDocumentId");
            if (id == null || !DOCUMENT_REF.matcher(id).matches()) {
                violation("/externalDocumentRefs/" + i + "/externalDocumentId", "must match DocumentRef-[idstring]");
            } else {
                documentRefs.add(id);
            }
            requireText(externalDocs.get(i), "spdxDocument", "/externalDocumentRefs/" + i);
        }
        JsonNode packages = array(root, "packages", "");
        for (int i = 0; i < packages.size(); i++) {
            checkPackage(packages.get(i), "/packages/" + i);
        }
        JsonNode files = array(root, "files", "");
        for (int i = 0; i < files.size(); i++) {
            checkFile(files.get(i), "/files/" + i);
        }
        JsonNode snippets = array(root, "snippets", "");
        for (int i = 0; i < snippets.size(); i++) {
            JsonNode snippet = snippets.get(i);
            String pointer = "/snippets/" + i;
            if (objectAt(snippet, pointer)) {
                declareId(snippet, pointer);
                requireText(snippet, "snippetFromFile", pointer);
            }
        }
        checkReferences(packages);
    }

    private void checkNamespace() {
        String namespace = requireText(root, "documentNamespace", "");
        if (namespace == null) {
            return;
        }
        try {
            URI uri = new URI(namespace);
            if (!uri.isAbsolute() || uri.getRawFragment() != null) {
                violation("/documentNamespace", "must be an absolute URI without a '#' part");
            }
        } catch (URISyntaxException e) {
            violation("/documentNamespace", "is not a URI: " + e.getReason());
        }
    }

    private void checkCreationInfo() {
        JsonNode creationInfo = root.get("creationInfo");
        if (creationInfo == null) {
            violation("/creationInfo", "required property 'creationInfo' not found");
            return;
        }
        if (!objectAt(creationInfo, "/creationInfo")) {
            return;
        }
        String created = requireText(creationInfo, "created", "/creationInfo");
        if (created != null && !CREATED.matcher(created).matches()) {
            violation("/creationInfo/created", "'" + abbreviate(created) + "' is not a date-time like 2024-01-31T12:00:00Z");
        }
        JsonNode creators = creationInfo.get("creators");
        if (creators == null || !creators.isArray() || creators.isEmpty()) {
            violation("/creationInfo/creators", "must be a non-empty array");
            return;
        }
        for (int i = 0; i < creators.size(); i++) {
            String c = creators.get(i).isTextual() ? creators.get(i).asText() : "";
            if (!(c.startsWith("Person:") || c.startsWith("Organization:") || c.startsWith("Tool:"))) {
                violation("/creationInfo/creators/" + i, "must start with 'Person:', 'Organization:' or 'Tool:'");
            }
        }
    }

    private void checkPackage(JsonNode pkg, String pointer) {
        if (!objectAt(pkg, pointer)) {
            return;
        }
        declareId(pkg, pointer);
        requireText(pkg, "name", pointer);
        if (pkg.has("downloadLocation")) {
            optionalText(pkg, "downloadLocation", pointer);
        } else {
            omission("package without the required downloadLocation", pointer);
        }
        if ("2.2".equals(version)) {
            for (String field : List.of("licenseConcluded", "licenseDeclared", "copyrightText")) {
                if (!pkg.has(field)) {
                    omission("SPDX 2.2 package without the required " + field, pointer);
                }
            }
        }
        for (String field : List.of("versionInfo", "supplier", "originator", "licenseConcluded", "licenseDeclared",
                "copyrightText", "primaryPackagePurpose", "sourceInfo", "description")) {
            optionalText(pkg, field, pointer);
        }
        JsonNode filesAnalyzed = pkg.get("filesAnalyzed");
        if (filesAnalyzed != null && !filesAnalyzed.isBoolean()) {
            violation(pointer + "/filesAnalyzed", "must be a boolean");
        }
        String purpose = text(pkg, "primaryPackagePurpose");
        if (purpose != null && !PURPOSES.contains(purpose)) {
            violation(pointer + "/primaryPackagePurpose", "'" + abbreviate(purpose) + "' is not a package purpose");
        }
        checkChecksums(pkg, pointer);
        JsonNode refs = array(pkg, "externalRefs", pointer);
        for (int i = 0; i < refs.size(); i++) {
            JsonNode ref = refs.get(i);
            String at = pointer + "/externalRefs/" + i;
            if (!objectAt(ref, at)) {
                continue;
            }
            String category = requireText(ref, "referenceCategory", at);
            String type = requireText(ref, "referenceType", at);
            String locator = requireText(ref, "referenceLocator", at);
            if (category != null && !REFERENCE_CATEGORIES.contains(category)) {
                violation(at + "/referenceCategory", "'" + abbreviate(category) + "' is not a reference category");
            }
            if ("purl".equals(type) && locator != null) {
                try {
                    PackageUrl.parse(locator);
                } catch (IllegalArgumentException e) {
                    violation(at + "/referenceLocator", e.getMessage());
                }
            }
        }
    }

    private void checkFile(JsonNode file, String pointer) {
        if (!objectAt(file, pointer)) {
            return;
        }
        declareId(file, pointer);
        requireText(file, "fileName", pointer);
        if (!file.has("checksums")) {
            omission("file without the required checksums", pointer);
        }
        checkChecksums(file, pointer);
    }

    private void checkChecksums(JsonNode element, String pointer) {
        JsonNode checksums = array(element, "checksums", pointer);
        for (int i = 0; i < checksums.size(); i++) {
            JsonNode checksum = checksums.get(i);
            String at = pointer + "/checksums/" + i;
            if (!objectAt(checksum, at)) {
                continue;
            }
            String algorithm = requireText(checksum, "algorithm", at);
            String value = requireText(checksum, "checksumValue", at);
            if (algorithm != null && !CHECKSUM_ALGORITHMS.contains(algorithm)) {
                violation(at + "/algorithm", "'" + abbreviate(algorithm) + "' is not an SPDX checksum algorithm");
            }
            if (value != null && !HEX.matcher(value).matches()) {
                violation(at + "/checksumValue", "is not hexadecimal");
            }
        }
    }

    private void checkReferences(JsonNode packages) {
        JsonNode describes = array(root, "documentDescribes", "");
        for (int i = 0; i < describes.size(); i++) {
            checkKnown(describes.get(i), "/documentDescribes/" + i, false);
        }
        for (int i = 0; i < packages.size(); i++) {
            JsonNode hasFiles = packages.get(i).path("hasFiles");
            for (int j = 0; hasFiles.isArray() && j < hasFiles.size(); j++) {
                checkKnown(hasFiles.get(j), "/packages/" + i + "/hasFiles/" + j, false);
            }
        }
        JsonNode relationships = array(root, "relationships", "");
        for (int i = 0; i < relationships.size(); i++) {
            JsonNode r = relationships.get(i);
            String at = "/relationships/" + i;
            if (!objectAt(r, at)) {
                continue;
            }
            String type = requireText(r, "relationshipType", at);
            if (type != null && !RELATIONSHIP_TYPES.contains(type)) {
                violation(at + "/relationshipType", "'" + abbreviate(type) + "' is not an SPDX relationship type");
            }
            if (r.get("spdxElementId") == null) {
                violation(at, "required property 'spdxElementId' not found");
            } else {
                checkKnown(r.get("spdxElementId"), at + "/spdxElementId", false);
            }
            if (r.get("relatedSpdxElement") == null) {
                violation(at, "required property 'relatedSpdxElement' not found");
            } else {
                checkKnown(r.get("relatedSpdxElement"), at + "/relatedSpdxElement", true);
            }
        }
    }

    private void checkKnown(JsonNode idNode, String pointer, boolean noneAllowed) {
        if (!idNode.isTextual()) {
            violation(pointer, "must be a string");
            return;
        }
        String id = idNode.asText();
        if (elementIds.contains(id) || (noneAllowed && (id.equals("NONE") || id.equals("NOASSERTION")))) {
            return;
        }
        int colon = id.indexOf(':');
        if (colon > 0 && documentRefs.contains(id.substring(0, colon))) {
            return;
        }
        violation(pointer, "'" + abbreviate(id) + "' is not an element of this document or a declared external document");
    }

    private void declareId(JsonNode element, String pointer) {
        String id = requireText(element, "SPDXID", pointer);
        if (id == null) {
            return;
        }
        if (!SPDX_ID.matcher(id).matches()) {
            violation(pointer + "/SPDXID", "'" + abbreviate(id) + "' does not match SPDXRef-[idstring]");
        } else if (!elementIds.add(id)) {
            violation(pointer + "/SPDXID", "'" + abbreviate(id) + "' is not unique in the document");
        }
    }

    private boolean objectAt(JsonNode node, String pointer) {
        if (!node.isObject()) {
            violation(pointer, "must be an object");
            return false;
        }
        return true;
    }

    private JsonNode array(JsonNode parent, String field, String pointer) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return MissingNode.getInstance();
        }
        if (!node.isArray()) {
            violation(pointer + "/" + field, "must be an array");
            return MissingNode.getInstance();
        }
        return node;
    }

    private String requireText(JsonNode parent, String field, String pointer) {
        JsonNode node = parent.get(field);
        if (node == null) {
            violation(pointer.isEmpty() ? "/" + field : pointer, "required property '" + field + "' not found");
            return null;
        }
        if (!node.isTextual() || node.asText().isEmpty()) {
            violation(pointer + "/" + field, "must be a non-empty string");
            return null;
        }
        return node.asText();
    }

    private void optionalText(JsonNode parent, String field, String pointer) {
        JsonNode node = parent.get(field);
        if (node != null && !node.isTextual()) {
            violation(pointer + "/" + field, "must be a string");
        }
    }

    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private void violation(String pointer, String message) {
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add(new SchemaViolation(pointer, message));
        }
    }

    private void omission(String message, String pointer) {
        omissions.computeIfAbsent(message, k -> new Omission(pointer)).count++;
    }

    private static final class Omission {
        private final String first;
        private int count;

        Omission(String first) {
            this.first = first;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 97) + "..." : s;
    }
}
