package dev.gatehouse.rego.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.rego.ast.Module;
import dev.gatehouse.rego.parser.RegoParseException;
import dev.gatehouse.rego.parser.RegoParser;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads OPA bundles: {@code .manifest} (revision, roots, rego_version), {@code data.json} and
 * {@code data.yaml} at any directory (placed at that path under data), {@code .rego} modules,
 * and {@code .signatures.json} checked against the configured key.
 */
public final class BundleLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private BundleLoader() {
    }

    /** Loads a directory or .tar.gz; rego v1 unless the manifest says {@code "rego_version": 0} or {@code v0Compatible}. */
    public static Bundle load(Path source, BundleVerification verification, boolean v0Compatible) throws BundleException {
        Map<String, byte[]> files = BundleFiles.read(source);
        return fromFiles(source.toString(), files, verification, v0Compatible);
    }

    public static Bundle fromFiles(String label, Map<String, byte[]> files, BundleVerification verification, boolean v0Compatible)
            throws BundleException {
        boolean signed = BundleSignatures.verify(label, files, verification);
        String revision = "";
        List<String> roots = List.of("");
        int regoVersion = v0Compatible ? 0 : 1;
        Map<String, Integer> fileVersions = Map.of();
        byte[] manifest = files.get(".manifest");
        if (manifest != null) {
            Value m = json(label, ".manifest", manifest);
            if (!(m instanceof ObjectValue mo)) {
                throw new BundleException("bundle " + label + ": .manifest must be a JSON object");
            }
            if (mo.get("revision") instanceof StringValue r) {
                revision = r.value();
            } else if (mo.get("revision") != null) {
                throw new BundleException("bundle " + label + ": .manifest revision must be a string");
            }
            if (mo.get("roots") != null && !(mo.get("roots") instanceof ArrayValue)) {
                throw new BundleException("bundle " + label + ": .manifest roots must be an array of strings");
            }
            if (mo.get("roots") instanceof ArrayValue ra) {
                roots = new ArrayList<>();
                for (Value v : ra.elements()) {
                    if (!(v instanceof StringValue s)) {
                        throw new BundleException("bundle " + label + ": .manifest roots must be strings");
                    }
                    roots.add(trimSlashes(s.value()));
                }
            }
            if (mo.get("rego_version") instanceof NumberValue n && !v0Compatible) {
                regoVersion = n.decimal().intValue() == 0 ? 0 : 1;
            }
            if (mo.get("file_rego_versions") instanceof ObjectValue fv) {
                Map<String, Integer> versions = new java.util.HashMap<>();
                for (Map.Entry<Value, Value> e : fv.entrySet()) {
                    if (e.getKey() instanceof StringValue k && e.getValue() instanceof NumberValue n) {
                        versions.put(trimSlashes(k.value()), n.decimal().intValue());
                    }
                }
                fileVersions = versions;
            }
        }
        List<Module> modules = new ArrayList<>();
        ObjectValue data = ObjectValue.EMPTY;
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            String name = e.getKey();
            String base = name.substring(name.lastIndexOf('/') + 1);
            String dir = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
            if (name.endsWith(".rego")) {
                int version = fileVersions.getOrDefault(name, regoVersion);
                try {
                    Module m = RegoParser.parseModule(name, new String(e.getValue(), StandardCharsets.UTF_8), version == 0);
                    checkRoot(label, roots, String.join("/", m.pkg()), name);
                    modules.add(m);
                } catch (RegoParseException ex) {
                    throw new BundleException(ex.getMessage(), ex);
                }
            } else if (base.equals("data.json") || base.equals("data.yaml") || base.equals("data.yml")) {
                Value doc = base.equals("data.json") ? json(label, name, e.getValue()) : yaml(label, name, e.getValue());
                checkDataRoots(label, roots, dir, doc, name);
                data = merge(label, name, data, dir.isEmpty() ? List.of() : List.of(dir.split("/")), doc);
            }
        }
        return new Bundle(label, revision, List.copyOf(roots), List.copyOf(modules), data, signed);
    }

    private static String trimSlashes(String s) {
        String t = s;
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static boolean underRoot(List<String> roots, String path) {
        for (String root : roots) {
            if (root.isEmpty() || path.equals(root) || path.startsWith(root + "/")) {
                return true;
            }
        }
        return false;
    }

    private static void checkRoot(String label, List<String> roots, String path, String file) throws BundleException {
        if (!underRoot(roots, path)) {
            throw new BundleException("bundle " + label + ": " + file + " is outside the manifest roots " + roots);
        }
    }

    /** Data may sit above a root only as objects whose leaves all fall under roots. */
    private static void checkDataRoots(String label, List<String> roots, String path, Value doc, String file) throws BundleException {
        if (underRoot(roots, path)) {
            return;
        }
        boolean aboveRoot = false;
        for (String root : roots) {
            aboveRoot |= path.isEmpty() || root.startsWith(path + "/");
        }
        if (!aboveRoot || !(doc instanceof ObjectValue o)) {
            throw new BundleException("bundle " + label + ": data in " + file + " at " + (path.isEmpty() ? "/" : path)
                    + " is outside the manifest roots " + roots);
        }
        for (Map.Entry<Value, Value> e : o.entrySet()) {
            String key = ValueJson.keyText(e.getKey());
            checkDataRoots(label, roots, path.isEmpty() ? key : path + "/" + key, e.getValue(), file);
        }
    }

    static Value json(String label, String name, byte[] bytes) throws BundleException {
        try {
            return ValueJson.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new BundleException("bundle " + label + ": " + name + ": " + e.getMessage());
        }
    }

    static Value yaml(String label, String name, byte[] bytes) throws BundleException {
        try {
            JsonNode n = YAML.readTree(bytes);
            return ValueJson.fromNode(n);
        } catch (JsonProcessingException e) {
            // SnakeYAML indents the location and a quote of the document under each unindented line.
            String problem = String.join(": ", e.getOriginalMessage().lines()
                    .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
            var at = e.getLocation();
            throw new BundleException("bundle " + label + ": " + name + ": YAML"
                    + (at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + problem);
        } catch (IOException e) {
            throw new BundleException("bundle " + label + ": " + name + ": YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static ObjectValue merge(String label, String file, ObjectValue base, List<String> path, Value doc) throws BundleException {
        if (path.isEmpty()) {
            if (!(doc instanceof ObjectValue o)) {
                throw new BundleException("bundle " + label + ": " + file + ": root data document must be an object");
            }
            return (ObjectValue) deepMerge(label, file, base, o);
        }
        Value key = StringValue.of(path.get(0));
        Value existing = base.get(key);
        Value child;
        if (path.size() == 1) {
            child = existing == null ? doc : deepMerge(label, file, existing, doc);
        } else {
            child = merge(label, file, existing instanceof ObjectValue o ? o : ObjectValue.EMPTY, path.subList(1, path.size()), doc);
        }
        return base.with(key, child);
    }

    private static Value deepMerge(String label, String file, Value a, Value b) throws BundleException {
        if (a instanceof ObjectValue x && b instanceof ObjectValue y) {
            ObjectValue out = x;
            for (Map.Entry<Value, Value> e : y.entrySet()) {
                Value prev = out.get(e.getKey());
                out = out.with(e.getKey(), prev == null ? e.getValue() : deepMerge(label, file, prev, e.getValue()));
            }
            return out;
        }
        throw new BundleException("bundle " + label + ": " + file + ": data conflicts with another data file");
    }
}
