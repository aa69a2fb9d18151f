package dev.gatehouse.vex;

import dev.gatehouse.io.JsonCursor;
import dev.gatehouse.io.MalformedInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads OpenVEX 0.2.0 (https://github.com/openvex/spec), bare or as the predicate of an in-toto
 * statement. Statements without a timestamp take the document's; statements without products take
 * the in-toto subjects. Documents in the 0.0.1 shape (strings for vulnerability, products and
 * subcomponents) are migrated the way go-vex {@code Open} does, with a warning, unless the caller
 * asks for the current version only.
 */
final class OpenVexParser {

    static final String FORMAT = VexFormat.OPENVEX.displayName();
    private static final Set<String> JUSTIFICATIONS = Set.of(
            "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
            "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist");

    private OpenVexParser() {}

    static boolean recognises(JsonCursor root) {
        try {
            String context = root.field("@context").optText();
            return context != null && context.startsWith("https://openvex.dev/ns");
        } catch (MalformedInputException e) {
            return false;
        }
    }

    /** OpenVEX in YAML, as go-vex {@code OpenYAML} reads it: no {@code @context} required. */
    static VexDocument parseYaml(JsonCursor root, boolean migrateLegacy) throws MalformedInputException {
        root.requireObject();
        if (!root.has("statements")) {
            throw root.field("statements").error("required array is missing (not an OpenVEX document)");
        }
        return parseBody(root, List.of(), migrateLegacy);
    }

    static VexDocument parse(JsonCursor root, List<ProductId> inTotoSubjects, boolean migrateLegacy)
            throws MalformedInputException {
        root.requireObject();
        String context = root.field("@context").text();
        boolean legacyContext = context.startsWith("https://openvex.dev/ns/v0.0");
        if (!context.equals("https://openvex.dev/ns") && !context.startsWith("https://openvex.dev/ns/v0.2") && !legacyContext) {
            throw root.field("@context").error("OpenVEX context '" + context + "' is not supported (0.2.0, or 0.0.1 migrated)");
        }
        if (legacyContext && !migrateLegacy) {
            throw root.field("@context").error("OpenVEX " + context.substring(context.lastIndexOf('/') + 1)
                    + " is not accepted here: only 0.2.0 documents");
        }
        return parseBody(root, inTotoSubjects, migrateLegacy);
    }

    private static VexDocument parseBody(JsonCursor root, List<ProductId> inTotoSubjects, boolean migrateLegacy)
            throws MalformedInputException {
        String id = root.field("@id").optText();
        String author = root.field("author").optText();
        Instant docTime = root.field("timestamp").optInstant();
        List<String> warnings = new ArrayList<>();
        List<VexStatement> statements = new ArrayList<>();
        List<JsonCursor> raw = root.field("statements").array();
        if (!root.has("statements")) {
            throw root.field("statements").error("required array is missing");
        }
        for (int i = 0; i < raw.size(); i++) {
            statements.add(statement(raw.get(i), i, id, author, docTime, inTotoSubjects, migrateLegacy, warnings));
        }
        return new VexDocument(id, VexFormat.OPENVEX, author, docTime, statements, null, warnings);
    }

    private static VexStatement statement(JsonCursor s, int index, String docId, String author, Instant docTime,
            List<ProductId> subjects, boolean migrateLegacy, List<String> warnings) throws MalformedInputException {
        s.requireObject();
        JsonCursor vuln = s.field("vulnerability");
        boolean legacy = vuln.present() && vuln.node().isTextual();
        if (legacy && !migrateLegacy) {
            throw vuln.error("expected an object with a name (OpenVEX 0.2.0), found a string (OpenVEX 0.0.1)");
        }
        if (legacy) {
            warnings.add("statement " + (index + 1) + ": migrated from OpenVEX 0.0.1");
        } else {
            vuln.requireObject();
        }
        String name = legacy ? vuln.text() : vuln.field("name").optText();
        String vulnId = legacy ? null : vuln.field("@id").optText();
        if (name == null || name.isBlank()) {
            name = vulnId;
        }
        if (name == null || name.isBlank()) {
            throw vuln.field("name").error("the vulnerability has no name");
        }
        Set<String> aliases = new LinkedHashSet<>(legacy ? List.of() : vuln.field("aliases").texts());
        if (vulnId != null && !vulnId.equals(name)) {
            aliases.add(vulnId);
        }
        String statusText = s.field("status").text();
        VexStatus status = VexStatus.fromLabel(statusText).orElseThrow(() -> s.field("status").error(
                "status '" + statusText + "' is not one of not_affected, affected, fixed, under_investigation"));
        List<VexProduct> products = new ArrayList<>();
        List<ProductId> legacySubs = new ArrayList<>();
        for (JsonCursor sc : s.field("subcomponents").array()) {
            if (!migrateLegacy) {
                throw sc.error("statement-level subcomponents are OpenVEX 0.0.1; 0.2.0 puts them in products");
            }
            legacySubs.add(ProductId.ofIdentifier(sc.text()));
        }
        for (JsonCursor p : s.field("products").array()) {
            if (p.node().isTextual()) {
                if (!migrateLegacy) {
                    throw p.error("expected a product object (OpenVEX 0.2.0), found a string (OpenVEX 0.0.1)");
                }
                products.add(new VexProduct(ProductId.ofIdentifier(p.text()), legacySubs));
                continue;
            }
            List<ProductId> subs = new ArrayList<>();
            for (JsonCursor sc : p.field("subcomponents").array()) {
                subs.add(component(sc));
            }
            products.add(new VexProduct(component(p), subs));
        }
        if (products.isEmpty()) {
            for (ProductId subject : subjects) {
                products.add(VexProduct.of(subject));
            }
        }
        String justification = s.field("justification").optText();
        if (justification != null && !JUSTIFICATIONS.contains(justification)) {
            warnings.add("statement " + (index + 1) + ": unknown justification '" + justification + "' ignored");
            justification = null;
        }
        String impact = s.field("impact_statement").optText();
        String action = s.field("action_statement").optText();
        Instant time = s.field("timestamp").optInstant();
        String defect = VexStatement.defectOf(status, justification, impact);
        if (defect == null && products.isEmpty()) {
            defect = "no products";
        }
        if (status == VexStatus.AFFECTED && (action == null || action.isBlank())) {
            warnings.add("statement " + (index + 1) + ": affected without action_statement");
        }
        return new VexStatement(name, aliases, products, status, justification, impact, action,
                time == null ? docTime : time, docId, author, VexFormat.OPENVEX, index, defect);
    }

    private static ProductId component(JsonCursor c) throws MalformedInputException {
        c.requireObject();
        String id = c.field("@id").optText();
        String purl = c.field("identifiers").field("purl").optText();
        Set<String> aliases = new LinkedHashSet<>();
        for (var e : c.field("identifiers").members()) {
            String v = e.getValue().optText();
            if (v != null) {
                aliases.add(v);
            }
        }
        for (var e : c.field("hashes").members()) {
            String v = e.getValue().optText();
            String algorithm = e.getKey().replace("-", "").toLowerCase(java.util.Locale.ROOT);
            if (v != null && (algorithm.equals("sha256") || algorithm.equals("sha512"))) {
                aliases.add(algorithm + ":" + v.toLowerCase(java.util.Locale.ROOT));
            }
        }
        // The spec makes @id, identifiers and hashes each optional: a product named only by a CPE
        // or a hash is named by that (a sha256 or sha512 hash as a digest).
        String primary = id != null && !id.isBlank() ? id : purl;
        if (primary == null || primary.isBlank()) {
            primary = aliases.stream().filter(a -> !a.isBlank()).findFirst()
                    .orElseThrow(() -> c.error("product has no @id, identifiers or sha-256/sha-512 hashes"));
        }
        ProductId base = ProductId.ofIdentifier(primary);
        if (base.purl() == null && purl != null) {
            ProductId fromPurl = ProductId.ofIdentifier(purl);
            base = new ProductId(primary, fromPurl.purl(), base.imageDigest() != null ? base.imageDigest() : fromPurl.imageDigest(),
                    base.bomLink(), null, null, null, Set.of());
        }
        aliases.remove(primary);
        return new ProductId(base.id(), base.purl(), base.imageDigest(), base.bomLink(), null, null, null, aliases);
    }
}
