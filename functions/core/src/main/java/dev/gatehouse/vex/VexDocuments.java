package dev.gatehouse.vex;

import dev.gatehouse.io.JsonCursor;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.io.UntrustedYaml;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a VEX document of any supported format (OpenVEX, CycloneDX VEX, CSAF VEX), bare or as the
 * predicate of an in-toto statement, and tags it with its provenance.
 */
public final class VexDocuments {

    /** The largest VEX document accepted. */
    public static final int MAX_BYTES = 8 * 1024 * 1024;
    private static final String ANY_FORMAT = "VEX document";

    private VexDocuments() {}

    /**
     * Parses any supported format; OpenVEX 0.0.1 documents are migrated (with a warning). Content
     * that does not start like JSON is read as OpenVEX YAML (go-vex {@code OpenYAML}).
     */
    public static VexDocument parse(byte[] content, VexSource source) throws MalformedInputException {
        if (!looksLikeJson(content)) {
            JsonCursor yaml = JsonCursor.root(UntrustedYaml.parse(content, OPENVEX_YAML, MAX_BYTES), OPENVEX_YAML);
            if (!yaml.node().isObject()) {
                throw new MalformedInputException(ANY_FORMAT, "/", "unable to load VEX: neither JSON nor an OpenVEX YAML mapping");
            }
            return OpenVexParser.parseYaml(yaml, true).withSource(source);
        }
        var root = UntrustedJson.parse(content, ANY_FORMAT, MAX_BYTES);
        return parse(JsonCursor.root(root, ANY_FORMAT), source, true);
    }

    private static final String OPENVEX_YAML = "OpenVEX YAML";

    private static boolean looksLikeJson(byte[] content) {
        for (byte b : content) {
            if (b == '{' || b == '[') {
                return true;
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && b != (byte) 0xEF && b != (byte) 0xBB && b != (byte) 0xBF) {
                return false;
            }
        }
        return true;
    }

    /** Like {@link #parse} but rejects OpenVEX documents older than 0.2.0. */
    public static VexDocument parseCurrent(byte[] content, VexSource source) throws MalformedInputException {
        var root = UntrustedJson.parse(content, ANY_FORMAT, MAX_BYTES);
        return parse(JsonCursor.root(root, ANY_FORMAT), source, false);
    }

    static VexDocument parse(JsonCursor root, VexSource source, boolean migrateLegacy) throws MalformedInputException {
        if (!root.node().isObject()) {
            throw root.error("unable to load VEX: expected a JSON object");
        }
        List<ProductId> subjects = new ArrayList<>();
        JsonCursor doc = root;
        String type = root.node().path("_type").asText("");
        if (type.startsWith("https://in-toto.io/Statement")) {
            String predicateType = root.node().path("predicateType").asText("");
            for (JsonCursor s : root.field("subject").array()) {
                String name = s.field("name").optText();
                String sha = s.field("digest").field("sha256").optText();
                if (sha != null) {
                    subjects.add(ProductId.ofIdentifier((name == null ? "" : name + "@") + "sha256:" + sha));
                }
            }
            doc = new JsonCursor(formatFor(predicateType), root.node().path("predicate"), "/predicate");
        }
        VexDocument parsed;
        if (OpenVexParser.recognises(doc)) {
            parsed = OpenVexParser.parse(relabel(doc, OpenVexParser.FORMAT), subjects, migrateLegacy);
        } else if (CycloneDxVexParser.recognises(doc)) {
            parsed = CycloneDxVexParser.parse(relabel(doc, CycloneDxVexParser.FORMAT));
        } else if (CsafVexParser.recognises(doc)) {
            parsed = CsafVexParser.parse(relabel(doc, CsafVexParser.FORMAT));
        } else {
            throw doc.error("unable to load VEX: not OpenVEX (@context https://openvex.dev/ns...), "
                    + "CycloneDX (bomFormat) or CSAF (document.csaf_version)");
        }
        return parsed.withSource(source);
    }

    private static String formatFor(String predicateType) {
        return predicateType.startsWith("https://openvex.dev/ns") ? OpenVexParser.FORMAT : ANY_FORMAT;
    }

    private static JsonCursor relabel(JsonCursor c, String format) {
        return new JsonCursor(format, c.node(), c.pointer());
    }
}
