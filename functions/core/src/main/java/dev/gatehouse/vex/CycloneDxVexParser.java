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

/**
 * Reads the {@code vulnerabilities} of a CycloneDX document (1.4 to 1.6, JSON) as VEX statements.
 * {@code analysis.state} maps to the VEX status (not_affected and false_positive to not_affected,
 * resolved to fixed, exploitable to affected, in_triage to under_investigation); a version entry
 * of {@code affects} overrides it for that version or range (affected, unaffected, unknown).
 * {@code affects[].ref} is resolved through the document's own bom-refs, then as a BOM-Link to
 * another SBOM, then as a purl. Entries without {@code analysis} are scan results, not VEX, and
 * are skipped.
 */
final class CycloneDxVexParser {

    static final String FORMAT = VexFormat.CYCLONEDX.displayName();
    private static final int MAX_COMPONENT_DEPTH = 64;

    private CycloneDxVexParser() {}

    static boolean recognises(JsonCursor root) {
        return root.node().isObject() && "CycloneDX".equals(root.node().path("bomFormat").asText(null));
    }

    static VexDocument parse(JsonCursor root) throws MalformedInputException {
        root.requireObject();
        String serial = root.field("serialNumber").optText();
        int bomVersion = root.has("version") ? root.field("version").node().asInt(1) : 1;
        JsonCursor metadata = root.field("metadata");
        Instant docTime = metadata.field("timestamp").optInstant();
        String author = firstName(metadata);
        Map<String, ProductId> byRef = new HashMap<>();
        ProductId subject = null;
        if (metadata.field("component").present()) {
            subject = collect(metadata.field("component"), byRef, 0);
        }
        for (JsonCursor c : root.field("components").array()) {
            collect(c, byRef, 0);
        }
        BomLink own = BomLink.of(serial, bomVersion, null).orElse(null);
        List<String> warnings = new ArrayList<>();
        List<VexStatement> statements = new ArrayList<>();
        List<JsonCursor> vulns = root.field("vulnerabilities").array();
        for (int i = 0; i < vulns.size(); i++) {
            JsonCursor v = vulns.get(i).requireObject();
            String id = v.field("id").text();
            JsonCursor analysis = v.field("analysis");
            if (!analysis.present() || !analysis.has("state")) {
                warnings.add("vulnerability " + (i + 1) + " (" + id + ") has no analysis state: not a VEX statement");
                continue;
            }
            VexStatus state = state(analysis.field("state"));
            Set<String> aliases = new LinkedHashSet<>();
            for (JsonCursor r : v.field("references").array()) {
                String alias = r.field("id").optText();
                if (alias != null && !alias.equals(id)) {
                    aliases.add(alias);
                }
            }
            String justification = justification(analysis.field("justification").optText());
            String impact = analysis.field("detail").optText();
            List<String> responses = analysis.field("response").texts();
            String action = v.field("recommendation").optText();
            if (action == null && v.has("workaround")) {
                action = v.field("workaround").optText();
            }
            if (action == null && !responses.isEmpty()) {
                action = String.join(", ", responses);
            }
            Instant time = firstTime(analysis.field("lastUpdated"), analysis.field("firstIssued"), v.field("updated"),
                    v.field("published"), v.field("created"));
            if (time == null) {
                time = docTime;
            }
            Map<VexStatus, List<VexProduct>> byStatus = new LinkedHashMap<>();
            List<JsonCursor> affects = v.field("affects").array();
            if (affects.isEmpty() && subject != null) {
                byStatus.computeIfAbsent(state, k -> new ArrayList<>()).add(VexProduct.of(subject));
            }
            for (JsonCursor a : affects) {
                ProductId product = resolve(a.field("ref").text(), byRef, own);
                List<JsonCursor> versions = a.field("versions").array();
                if (versions.isEmpty()) {
                    byStatus.computeIfAbsent(state, k -> new ArrayList<>()).add(VexProduct.of(product));
                }
                for (JsonCursor ver : versions) {
                    String exact = ver.field("version").optScalar();
                    String range = ver.field("range").optText();
                    ProductId narrowed;
                    if (exact != null) {
                        narrowed = product.withVersion(exact);
                    } else if (range != null) {
                        try {
                            narrowed = product.withRange(VersionRange.parse(range));
                        } catch (IllegalArgumentException e) {
                            throw ver.field("range").error(e.getMessage());
                        }
                    } else {
                        throw ver.error("a version entry needs version or range");
                    }
                    VexStatus status = versionStatus(ver.field("status"), state);
                    byStatus.computeIfAbsent(status, k -> new ArrayList<>()).add(VexProduct.of(narrowed));
                }
            }
            if (byStatus.isEmpty()) {
                statements.add(new VexStatement(id, aliases, List.of(), state, justification, impact, action, time,
                        serial, author, VexFormat.CYCLONEDX, i, "no affected products"));
                continue;
            }
            for (var e : byStatus.entrySet()) {
                VexStatus status = e.getKey();
                String j = status == VexStatus.NOT_AFFECTED ? justification : null;
                String defect = VexStatement.defectOf(status, j, impact);
                statements.add(new VexStatement(id, aliases, e.getValue(), status, j, impact, action, time,
                        serial, author, VexFormat.CYCLONEDX, i, defect));
            }
        }
        return new VexDocument(serial, VexFormat.CYCLONEDX, author, docTime, statements, null, warnings);
    }

    private static ProductId collect(JsonCursor c, Map<String, ProductId> byRef, int depth) throws MalformedInputException {
        if (depth > MAX_COMPONENT_DEPTH) {
            throw c.error("components nested deeper than " + MAX_COMPONENT_DEPTH);
        }
        c.requireObject();
        String ref = c.field("bom-ref").optText();
        String purl = c.field("purl").optText();
        String name = c.field("name").optText();
        String version = c.field("version").optScalar();
        String cpe = c.field("cpe").optText();
        Set<String> aliases = new LinkedHashSet<>();
        if (cpe != null) {
            aliases.add(cpe);
        }
        ProductId id;
        if (purl != null && !purl.isBlank()) {
            ProductId p = ProductId.ofIdentifier(purl);
            id = new ProductId(purl, p.purl(), p.imageDigest(), null, null, null, null, aliases);
        } else {
            id = new ProductId(ref != null ? ref : name, null, null, null, name, version, null, aliases);
        }
        if (ref != null) {
            byRef.putIfAbsent(ref, id);
        }
        for (JsonCursor child : c.field("components").array()) {
            collect(child, byRef, depth + 1);
        }
        return id;
    }

    private static ProductId resolve(String ref, Map<String, ProductId> byRef, BomLink own) {
        ProductId local = byRef.get(ref);
        if (local != null) {
            return local;
        }
        var link = BomLink.parse(ref);
        if (link.isPresent() && own != null && link.get().serial().equals(own.serial())
                && link.get().version() == own.version() && link.get().ref() != null && byRef.containsKey(link.get().ref())) {
            return byRef.get(link.get().ref());
        }
        return ProductId.ofIdentifier(ref);
    }

    private static VexStatus state(JsonCursor state) throws MalformedInputException {
        String s = state.text();
        return switch (s) {
            case "not_affected", "false_positive" -> VexStatus.NOT_AFFECTED;
            case "resolved", "resolved_with_pedigree" -> VexStatus.FIXED;
            case "exploitable" -> VexStatus.AFFECTED;
            case "in_triage" -> VexStatus.UNDER_INVESTIGATION;
            default -> throw state.error("analysis state '" + s + "' is not one of resolved, resolved_with_pedigree, "
                    + "exploitable, in_triage, false_positive, not_affected");
        };
    }

    private static VexStatus versionStatus(JsonCursor status, VexStatus state) throws MalformedInputException {
        String s = status.optText();
        if (s == null) {
            return state;
        }
        return switch (s) {
            case "affected" -> VexStatus.AFFECTED;
            case "unaffected" -> state == VexStatus.FIXED ? VexStatus.FIXED : VexStatus.NOT_AFFECTED;
            case "unknown" -> VexStatus.UNDER_INVESTIGATION;
            default -> throw status.error("version status '" + s + "' is not one of affected, unaffected, unknown");
        };
    }

    /** CycloneDX justifications in the OpenVEX vocabulary (the mapping trivy and vexctl use). */
    private static String justification(String cdx) {
        if (cdx == null) {
            return null;
        }
        return switch (cdx) {
            case "code_not_present" -> "vulnerable_code_not_present";
            case "code_not_reachable" -> "vulnerable_code_not_in_execute_path";
            case "requires_configuration", "requires_environment" -> "vulnerable_code_cannot_be_controlled_by_adversary";
            case "requires_dependency" -> "component_not_present";
            case "protected_by_compiler", "protected_at_runtime", "protected_at_perimeter",
                    "protected_by_mitigating_control" -> "inline_mitigations_already_exist";
            default -> null;
        };
    }

    private static Instant firstTime(JsonCursor... candidates) throws MalformedInputException {
        for (JsonCursor c : candidates) {
            Instant t = c.optInstant();
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private static String firstName(JsonCursor metadata) throws MalformedInputException {
        for (JsonCursor a : metadata.field("authors").array()) {
            String n = a.field("name").optText();
            if (n != null) {
                return n;
            }
        }
        for (String field : List.of("manufacturer", "manufacture", "supplier")) {
            String n = metadata.field(field).field("name").optText();
            if (n != null) {
                return n;
            }
        }
        return null;
    }
}
