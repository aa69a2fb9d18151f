package dev.gatehouse.rego.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.rego.ast.Location;
import dev.gatehouse.rego.ast.Module;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** METADATA comment blocks: parsed, normalised like OPA's annotations, and attached to rules and packages. */
final class Annotations {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A block and the line of the first statement after it. */
    record Block(ObjectValue annotations, int nextLine) {
    }

    private final Map<List<String>, List<ObjectValue>> packageScoped = new HashMap<>();
    private final Map<List<String>, List<ObjectValue>> subpackageScoped = new HashMap<>();
    private final Map<List<Value>, List<ObjectValue>> documentScoped = new HashMap<>();

    static List<Block> blocks(Module m) {
        List<Block> out = new ArrayList<>();
        for (Module.Annotation a : m.annotations()) {
            int lines = (int) a.yaml().lines().count();
            out.add(new Block(parse(a.yaml(), a.location()), a.location().line() + lines + 1));
        }
        return out;
    }

    static ObjectValue parse(String yaml, Location loc) {
        Value v;
        try {
            v = yaml.isBlank() ? ObjectValue.EMPTY : ValueJson.fromNode(YAML.readTree(yaml));
        } catch (IOException e) {
            throw new RegoException("rego_parse_error", loc, "invalid METADATA block: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(v instanceof ObjectValue o)) {
            throw new RegoException("rego_parse_error", loc, "invalid METADATA block: expected a YAML mapping");
        }
        ObjectValue.Builder b = ObjectValue.builder();
        for (Map.Entry<Value, Value> e : o.entrySet()) {
            String key = ValueJson.keyText(e.getKey());
            Value val = e.getValue();
            if (key.equals("authors") && val instanceof ArrayValue arr) {
                List<Value> authors = new ArrayList<>();
                for (Value a : arr.elements()) {
                    authors.add(a instanceof StringValue s ? author(s.value()) : a);
                }
                val = ArrayValue.of(authors);
            } else if (key.equals("related_resources") && val instanceof ArrayValue arr) {
                List<Value> res = new ArrayList<>();
                for (Value r : arr.elements()) {
                    res.add(r instanceof StringValue s ? ObjectValue.builder().put("ref", s).build() : r);
                }
                val = ArrayValue.of(res);
            }
            b.put(key, val);
        }
        return b.build();
    }

    private static Value author(String s) {
        String t = s.strip();
        int lt = t.lastIndexOf('<');
        if (lt >= 0 && t.endsWith(">")) {
            ObjectValue.Builder b = ObjectValue.builder();
            String name = t.substring(0, lt).strip();
            if (!name.isEmpty()) {
                b.put("name", StringValue.of(name));
            }
            return b.put("email", StringValue.of(t.substring(lt + 1, t.length() - 1))).build();
        }
        return ObjectValue.builder().put("name", StringValue.of(t)).build();
    }

    static ObjectValue withScope(ObjectValue a, String defaultScope) {
        return a.get("scope") == null ? a.with(StringValue.of("scope"), StringValue.of(defaultScope)) : a;
    }

    static String scope(ObjectValue a) {
        return a.get("scope") instanceof StringValue s ? s.value() : "";
    }

    void addPackage(List<String> pkg, ObjectValue a) {
        if (scope(a).equals("subpackages")) {
            subpackageScoped.computeIfAbsent(pkg, k -> new ArrayList<>()).add(a);
        } else {
            packageScoped.computeIfAbsent(pkg, k -> new ArrayList<>()).add(a);
        }
    }

    void addDocument(List<Value> path, ObjectValue a) {
        documentScoped.computeIfAbsent(path, k -> new ArrayList<>()).add(a);
    }

    /** OPA's rego.metadata.chain() for a rule: its own block, then document, package and subpackage blocks. */
    Value chain(List<String> pkg, List<Value> rulePath, ObjectValue own) {
        List<Value> out = new ArrayList<>();
        Value path = pathValue(rulePath);
        ObjectValue.Builder first = ObjectValue.builder();
        if (own != null) {
            first.put("annotations", own);
        }
        out.add(first.put("path", path).build());
        for (ObjectValue d : documentScoped.getOrDefault(rulePath, List.of())) {
            if (d != own) {
                out.add(ObjectValue.builder().put("annotations", d).put("path", path).build());
            }
        }
        for (ObjectValue p : packageScoped.getOrDefault(pkg, List.of())) {
            out.add(ObjectValue.builder().put("annotations", p).put("path", pathOf(pkg)).build());
        }
        for (int n = pkg.size(); n >= 1; n--) {
            List<String> prefix = pkg.subList(0, n);
            for (ObjectValue p : subpackageScoped.getOrDefault(prefix, List.of())) {
                out.add(ObjectValue.builder().put("annotations", p).put("path", pathOf(prefix)).build());
            }
        }
        return ArrayValue.of(out);
    }

    private static Value pathValue(List<Value> p) {
        return ArrayValue.of(p);
    }

    private static Value pathOf(List<String> pkg) {
        List<Value> out = new ArrayList<>();
        for (String s : pkg) {
            out.add(StringValue.of(s));
        }
        return ArrayValue.of(out);
    }
}
