package dev.gatehouse.vex;

import dev.gatehouse.io.JsonCursor;
import dev.gatehouse.io.MalformedInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads CSAF 2.0 documents of the VEX profile ({@code document.category = csaf_vex}). Product ids
 * are resolved through the product tree (branches, full product names, relationships) to purls via
 * {@code product_identification_helper}; a relationship "X default_component_of Y" becomes product
 * Y with subcomponent X. Each (vulnerability, status, product) gives one statement; flags give the
 * justification and threats of category impact the impact statement, for the products they list
 * (or all products of the vulnerability when they list none). The profile's mandatory tests
 * 6.1.27.7, 6.1.27.8 and 6.1.27.11 reject the document; 6.1.27.9 (not affected without
 * justification or impact) makes the statement inapplicable.
 */
final class CsafVexParser {

    static final String FORMAT = VexFormat.CSAF.displayName();
    private static final int MAX_BRANCH_DEPTH = 64;

    private CsafVexParser() {}

    static boolean recognises(JsonCursor root) {
        return root.node().isObject() && root.node().path("document").has("csaf_version");
    }

    static VexDocument parse(JsonCursor root) throws MalformedInputException {
        root.requireObject();
        JsonCursor document = root.field("document").requireObject();
        String category = document.field("category").text();
        if (!category.equals("csaf_vex")) {
            throw document.field("category").error("category '" + category + "' is not the VEX profile csaf_vex");
        }
        String csafVersion = document.field("csaf_version").text();
        if (!csafVersion.equals("2.0")) {
            throw document.field("csaf_version").error("CSAF version '" + csafVersion + "' is not supported (only 2.0)");
        }
        JsonCursor tracking = document.field("tracking").requireObject();
        String docId = tracking.field("id").text();
        Instant docTime = tracking.field("current_release_date").optInstant();
        String author = document.field("publisher").field("name").optText();

        Map<String, VexProduct> products = new HashMap<>();
        JsonCursor tree = root.field("product_tree");
        for (JsonCursor b : tree.field("branches").array()) {
            branch(b, products, 0, null);
        }
        for (JsonCursor f : tree.field("full_product_names").array()) {
            ProductId p = fullProductName(f);
            products.put(p.id(), VexProduct.of(p));
        }
        for (JsonCursor r : tree.field("relationships").array()) {
            String component = r.field("product_reference").text();
            String parent = r.field("relates_to_product_reference").text();
            ProductId named = fullProductName(r.field("full_product_name").requireObject());
            ProductId parentId = lookup(products, parent).product();
            ProductId componentId = lookup(products, component).product();
            ProductId withAliases = new ProductId(named.id(), parentId.purl(), parentId.imageDigest(), parentId.bomLink(),
                    parentId.name(), parentId.version(), parentId.range(), named.aliases());
            products.put(named.id(), new VexProduct(withAliases, List.of(componentId)));
        }
        Map<String, List<String>> groups = new HashMap<>();
        for (JsonCursor g : tree.field("product_groups").array()) {
            groups.put(g.field("group_id").text(), g.field("product_ids").texts());
        }

        List<JsonCursor> vulns = root.field("vulnerabilities").array();
        if (vulns.isEmpty()) {
            throw root.field("vulnerabilities").error("a csaf_vex document needs at least one vulnerability (6.1.27.11)");
        }
        List<String> warnings = new ArrayList<>();
        List<VexStatement> statements = new ArrayList<>();
        for (int i = 0; i < vulns.size(); i++) {
            JsonCursor v = vulns.get(i).requireObject();
            String cve = v.field("cve").optText();
            List<String> ids = new ArrayList<>();
            for (JsonCursor id : v.field("ids").array()) {
                ids.add(id.field("text").text());
            }
            if (cve == null && ids.isEmpty()) {
                throw v.error("the vulnerability has neither cve nor ids (6.1.27.8)");
            }
            String name = cve != null ? cve : ids.get(0);
            Set<String> aliases = new LinkedHashSet<>(ids);
            aliases.remove(name);
            JsonCursor status = v.field("product_status");
            Map<VexStatus, List<String>> byStatus = new LinkedHashMap<>();
            add(byStatus, VexStatus.NOT_AFFECTED, status.field("known_not_affected"));
            add(byStatus, VexStatus.FIXED, status.field("fixed"));
            add(byStatus, VexStatus.FIXED, status.field("first_fixed"));
            add(byStatus, VexStatus.AFFECTED, status.field("known_affected"));
            add(byStatus, VexStatus.AFFECTED, status.field("first_affected"));
            add(byStatus, VexStatus.AFFECTED, status.field("last_affected"));
            add(byStatus, VexStatus.UNDER_INVESTIGATION, status.field("under_investigation"));
            boolean vexStatus = status.has("known_not_affected") || status.has("fixed")
                    || status.has("known_affected") || status.has("under_investigation");
            if (!vexStatus) {
                throw status.error("a csaf_vex vulnerability needs one of fixed, known_affected, known_not_affected, "
                        + "under_investigation (6.1.27.7)");
            }
            for (var e : byStatus.entrySet()) {
                for (String productId : e.getValue()) {
                    VexProduct product = lookup(products, productId);
                    String justification = null;
                    String impact = null;
                    String action = null;
                    if (e.getKey() == VexStatus.NOT_AFFECTED) {
                        justification = forProduct(v.field("flags"), productId, groups, "label", null);
                        impact = forProduct(v.field("threats"), productId, groups, "details", "impact");
                    }
                    if (e.getKey() == VexStatus.AFFECTED || e.getKey() == VexStatus.FIXED) {
                        action = forProduct(v.field("remediations"), productId, groups, "details", null);
                    }
                    if (e.getKey() == VexStatus.AFFECTED && action == null) {
                        warnings.add(name + ": known_affected product " + productId + " has no remediation (6.1.27.10)");
                    }
                    String defect = VexStatement.defectOf(e.getKey(), justification, impact);
                    statements.add(new VexStatement(name, aliases, List.of(product), e.getKey(), justification, impact,
                            action, docTime, docId, author, VexFormat.CSAF, i, defect == null ? null : defect + " (6.1.27.9)"));
                }
            }
        }
        return new VexDocument(docId, VexFormat.CSAF, author, docTime, statements, null, warnings);
    }

    private static void add(Map<VexStatus, List<String>> byStatus, VexStatus status, JsonCursor ids) throws MalformedInputException {
        List<String> list = ids.texts();
        if (!list.isEmpty()) {
            byStatus.computeIfAbsent(status, k -> new ArrayList<>()).addAll(list);
        }
    }

    private static VexProduct lookup(Map<String, VexProduct> products, String productId) {
        VexProduct p = products.get(productId);
        return p != null ? p : VexProduct.of(new ProductId(productId, null, null, null, null, null, null, Set.of()));
    }

    /** The value of the first flag/threat/remediation entry that applies to the product. */
    private static String forProduct(JsonCursor entries, String productId, Map<String, List<String>> groups,
            String valueField, String category) throws MalformedInputException {
        for (JsonCursor entry : entries.array()) {
            if (category != null && !category.equals(entry.field("category").optText())) {
                continue;
            }
            List<String> ids = new ArrayList<>(entry.field("product_ids").texts());
            for (String g : entry.field("group_ids").texts()) {
                ids.addAll(groups.getOrDefault(g, List.of()));
            }
            boolean scoped = entry.has("product_ids") || entry.has("group_ids");
            if (!scoped || ids.contains(productId)) {
                String value = entry.field(valueField).optText();
                if (value != null && !value.isBlank()) {
                    return value;
                }
            }
        }
        return null;
    }

    /**
     * A branch and its children. {@code productName} is the nearest enclosing {@code product_name}
     * branch: a product without purl is also known by that name and the version (or version range)
     * of the branch that holds it, so a scan naming the product and version matches it, as a
     * CycloneDX component known only by name does.
     */
    private static void branch(JsonCursor b, Map<String, VexProduct> products, int depth, String productName)
            throws MalformedInputException {
        if (depth > MAX_BRANCH_DEPTH) {
            throw b.error("branches nested deeper than " + MAX_BRANCH_DEPTH);
        }
        b.requireObject();
        String category = b.field("category").optText();
        String name = b.field("name").optText();
        if ("product_name".equals(category) && name != null && !name.isBlank()) {
            productName = name.strip();
        }
        if (b.has("product")) {
            ProductId p = fullProductName(b.field("product"));
            products.put(p.id(), VexProduct.of(p.purl() == null && p.imageDigest() == null ? byName(p, productName, category, name) : p));
        }
        for (JsonCursor child : b.field("branches").array()) {
            branch(child, products, depth + 1, productName);
        }
    }

    /** A single comparator written without the vers prefix, as CSAF allows for product_version_range ("<=1.14.0"). */
    private static final Pattern BARE_CONSTRAINT = Pattern.compile("(<=|>=|<|>|=)\\s*[A-Za-z0-9._+~-]+");

    private static ProductId byName(ProductId product, String productName, String category, String branchName) {
        if (productName == null) {
            return product;
        }
        ProductId named = new ProductId(product.id(), null, null, null, productName, null, null, product.aliases());
        if ("product_version".equals(category)) {
            return named.withVersion(branchName);
        }
        if ("product_version_range".equals(category)) {
            String range = branchName == null ? "" : branchName.strip();
            if (BARE_CONSTRAINT.matcher(range).matches()) {
                range = "vers:generic/" + range;
            }
            try {
                return named.withRange(VersionRange.parse(range));
            } catch (IllegalArgumentException e) {
                // A range in words cannot be compared: the product stays known only by its id and name.
                return product;
            }
        }
        // A product held by its product_name branch (or vendor-only trees) covers every version.
        return "product_name".equals(category) ? named : product;
    }

    private static ProductId fullProductName(JsonCursor f) throws MalformedInputException {
        f.requireObject();
        String id = f.field("product_id").text();
        String name = f.field("name").optText();
        JsonCursor helper = f.field("product_identification_helper");
        String purl = helper.field("purl").optText();
        Set<String> aliases = new LinkedHashSet<>();
        if (name != null) {
            aliases.add(name);
        }
        String cpe = helper.field("cpe").optText();
        if (cpe != null) {
            aliases.add(cpe);
        }
        if (purl != null && !purl.isBlank()) {
            ProductId p = ProductId.ofIdentifier(purl);
            aliases.add(purl.strip());
            return new ProductId(id, p.purl(), p.imageDigest(), null, null, null, null, aliases);
        }
        return new ProductId(id, null, null, null, null, null, null, aliases);
    }
}
