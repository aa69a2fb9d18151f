package dev.gatehouse.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of an {@link Inventory}: snake_case names, kinds and formats as in the policy
 * input's {@code sbom} object (docs/policy-input.md), absent values omitted, plus the refs,
 * dependency edges, counts and warnings.
 */
public final class InventoryJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private InventoryJson() {}

    public static ObjectNode toJson(Inventory inventory) {
        ObjectNode out = JSON.objectNode();
        out.put("format", inventory.format().id());
        out.put("spec_version", inventory.specVersion());
        if (inventory.subject() == null) {
            out.putNull("subject");
        } else {
            SbomSubject s = inventory.subject();
            ObjectNode subject = out.putObject("subject");
            putIfPresent(subject, "ref", s.ref());
            subject.put("name", s.name());
            putIfPresent(subject, "version", s.version());
            putIfPresent(subject, "digest", s.digest() == null ? null : s.digest().toString());
            putIfPresent(subject, "purl", s.purl() == null ? null : s.purl().toString());
            putIfPresent(subject, "type", s.type());
        }
        if (inventory.os() == null) {
            out.putNull("os");
        } else {
            ObjectNode os = out.putObject("os");
            os.put("name", inventory.os().name());
            putIfPresent(os, "version", inventory.os().version());
        }
        ObjectNode counts = out.putObject("counts");
        counts.put("components", inventory.components().size());
        counts.put("files", inventory.files().size());
        counts.put("dependencies", inventory.dependencies().size());
        Map<ComponentKind, Integer> byKind = new EnumMap<>(ComponentKind.class);
        inventory.components().forEach(c -> byKind.merge(c.kind(), 1, Integer::sum));
        ObjectNode kinds = counts.putObject("by_kind");
        byKind.forEach((kind, n) -> kinds.put(kind.id(), n));
        ObjectNode facts = out.putObject("facts");
        strings(facts.putArray("shells"), inventory.facts().shells());
        strings(facts.putArray("package_managers"), inventory.facts().packageManagers());
        strings(facts.putArray("setuid_files"), inventory.facts().setuidFiles());
        ArrayNode components = out.putArray("components");
        inventory.components().forEach(c -> components.add(component(c)));
        ArrayNode files = out.putArray("files");
        inventory.files().forEach(f -> files.add(component(f)));
        ArrayNode dependencies = out.putArray("dependencies");
        for (DependencyEdge e : inventory.dependencies()) {
            dependencies.addObject().put("from", e.from()).put("to", e.to());
        }
        strings(out.putArray("warnings"), inventory.warnings());
        return out;
    }

    /**
     * The {@code sbom} object of the policy input (docs/policy-input.md): only what policies read,
     * so that thousands of components stay cheap to evaluate.
     *
     * @param signed whether the SBOM came from an attestation that verified
     */
    public static ObjectNode toPolicyInput(Inventory inventory, boolean signed) {
        ObjectNode out = JSON.objectNode();
        out.put("format", inventory.format().id());
        out.put("spec_version", inventory.specVersion());
        out.put("signed", signed);
        if (inventory.os() == null) {
            out.putNull("os");
        } else {
            ObjectNode os = out.putObject("os");
            os.put("name", inventory.os().name());
            putIfPresent(os, "version", inventory.os().version());
        }
        ArrayNode components = out.putArray("components");
        for (Component c : inventory.components()) {
            ObjectNode node = components.addObject();
            node.put("name", c.name());
            putIfPresent(node, "version", c.version());
            putIfPresent(node, "purl", c.purl() == null ? null : c.purl().toString());
            node.put("kind", c.kind().id());
            strings(node.putArray("licenses"), c.licenses());
            putIfPresent(node, "supplier", c.supplier());
            ObjectNode hashes = node.putObject("hashes");
            c.hashes().forEach(hashes::put);
        }
        ObjectNode facts = out.putObject("facts");
        strings(facts.putArray("shells"), inventory.facts().shells());
        strings(facts.putArray("package_managers"), inventory.facts().packageManagers());
        strings(facts.putArray("setuid_files"), inventory.facts().setuidFiles());
        return out;
    }

    public static ObjectNode component(Component c) {
        ObjectNode out = JSON.objectNode();
        out.put("ref", c.ref());
        out.put("name", c.name());
        putIfPresent(out, "version", c.version());
        putIfPresent(out, "purl", c.purl() == null ? null : c.purl().toString());
        putIfPresent(out, "type", c.type());
        out.put("kind", c.kind().id());
        strings(out.putArray("licenses"), c.licenses());
        putIfPresent(out, "supplier", c.supplier());
        ObjectNode hashes = out.putObject("hashes");
        c.hashes().forEach(hashes::put);
        if (!c.properties().isEmpty()) {
            ArrayNode properties = out.putArray("properties");
            c.properties().forEach(p -> properties.addObject().put("name", p.name()).put("value", p.value()));
        }
        return out;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
