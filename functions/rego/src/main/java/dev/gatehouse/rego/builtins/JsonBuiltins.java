package dev.gatehouse.rego.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/** JSON and YAML: marshal/unmarshal/is_valid, json.filter, json.remove, json.patch. */
final class JsonBuiltins {

    private static final int MAX_TEXT = 64 << 20;
    private static final ObjectMapper YAML;

    static {
        LoaderOptions limits = new LoaderOptions();
        limits.setCodePointLimit(MAX_TEXT);
        limits.setMaxAliasesForCollections(100);
        limits.setNestingDepthLimit(ValueJson.MAX_DEPTH);
        YAML = new ObjectMapper(YAMLFactory.builder()
                .loaderOptions(limits)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build())
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    private JsonBuiltins() {
    }

    /** A schema or document operand: JSON text, or a value used as JSON. */
    private static JsonNode jsonOperand(Value[] args, int i, BuiltinContext c) throws BuiltinException {
        Value v = args[i];
        if (v instanceof StringValue s) {
            c.charge(1 + s.value().length() / 256);
            try {
                return ValueJson.toNode(ValueJson.parse(s.value()));
            } catch (IllegalArgumentException e) {
                throw BuiltinException.error("operand " + (i + 1) + " is not valid JSON: " + e.getMessage());
            }
        }
        if (v instanceof ObjectValue || v instanceof ArrayValue || v instanceof BooleanValue) {
            return ValueJson.toNode(v);
        }
        throw BuiltinException.typeError("operand " + (i + 1) + " must be one of {object, string, boolean, array} but got "
                + v.typeName());
    }

    static void register(BuiltinRegistry r) {
        r.register("json.marshal", 1, (a, c) -> StringValue.of(GoJson.marshal(a[0], null, null)));
        r.register("json.marshal_with_options", 2, (a, c) -> {
            ObjectValue opts = Operands.object(a, 1);
            String prefix = "";
            String indent = "\t";
            Boolean pretty = null;
            boolean layout = false;
            for (Map.Entry<Value, Value> e : opts.entrySet()) {
                String key = e.getKey() instanceof StringValue s ? s.value() : e.getKey().toString();
                switch (key) {
                    case "prefix" -> {
                        prefix = optionString(e.getValue(), key);
                        layout = true;
                    }
                    case "indent" -> {
                        indent = optionString(e.getValue(), key);
                        layout = true;
                    }
                    case "pretty" -> {
                        if (!(e.getValue() instanceof BooleanValue b)) {
                            throw BuiltinException.typeError("operand 2 pretty must be a boolean but got " + e.getValue().typeName());
                        }
                        pretty = b.value();
                    }
                    default -> throw BuiltinException.error("object contained unknown key " + key);
                }
            }
            boolean indented = pretty != null ? pretty : layout;
            return StringValue.of(indented ? GoJson.marshal(a[0], prefix, indent) : GoJson.marshal(a[0], null, null));
        });
        r.register("json.unmarshal", 1, (a, c) -> {
            String text = Operands.string(a, 0);
            c.charge(1 + text.length() / 256);
            try {
                return ValueJson.parse(text);
            } catch (IllegalArgumentException e) {
                throw BuiltinException.error(e.getMessage());
            }
        });
        r.register("json.is_valid", 1, (a, c) -> {
            if (!(a[0] instanceof StringValue s)) {
                return BooleanValue.FALSE;
            }
            c.charge(1 + s.value().length() / 256);
            try {
                ValueJson.parse(s.value());
                return BooleanValue.TRUE;
            } catch (IllegalArgumentException e) {
                return BooleanValue.FALSE;
            }
        });
        r.register("json.verify_schema", 1, (a, c) -> {
            try {
                JsonSchema.compile(jsonOperand(a, 0, c));
                return ArrayValue.of(List.of(BooleanValue.TRUE, NullValue.NULL));
            } catch (JsonSchema.InvalidSchemaException e) {
                return ArrayValue.of(List.of(BooleanValue.FALSE, StringValue.of(e.getMessage())));
            }
        });
        r.register("json.match_schema", 2, (a, c) -> {
            JsonNode document = jsonOperand(a, 0, c);
            JsonSchema schema;
            try {
                schema = JsonSchema.compile(jsonOperand(a, 1, c));
            } catch (JsonSchema.InvalidSchemaException e) {
                throw BuiltinException.error(e.getMessage());
            }
            List<Value> errors = new ArrayList<>();
            for (JsonSchema.Error e : schema.validate(document)) {
                errors.add(ObjectValue.of(Map.of(
                        StringValue.of("error"), StringValue.of(e.message()),
                        StringValue.of("type"), StringValue.of(e.type()),
                        StringValue.of("field"), StringValue.of(e.field()),
                        StringValue.of("desc"), StringValue.of(e.description()))));
            }
            return ArrayValue.of(List.of(BooleanValue.of(errors.isEmpty()), ArrayValue.of(errors)));
        });
        r.register("yaml.marshal", 1, (a, c) -> {
            try {
                return StringValue.of(YAML.writeValueAsString(ValueJson.toNode(a[0])));
            } catch (java.io.IOException e) {
                throw BuiltinException.error(e.getMessage());
            }
        });
        r.register("yaml.unmarshal", 1, (a, c) -> {
            String text = Operands.string(a, 0);
            c.charge(1 + text.length() / 256);
            return parseYaml(text);
        });
        r.register("yaml.is_valid", 1, (a, c) -> {
            if (!(a[0] instanceof StringValue s)) {
                return BooleanValue.FALSE;
            }
            try {
                parseYaml(s.value());
                return BooleanValue.TRUE;
            } catch (BuiltinException e) {
                return BooleanValue.FALSE;
            }
        });
        r.register("json.filter", 2, (a, c) -> {
            ObjectValue o = Operands.object(a, 0);
            return filter(o, pathsToObject(paths(a[1])));
        });
        r.register("json.remove", 2, (a, c) -> {
            ObjectValue o = Operands.object(a, 0);
            return remove(o, pathsToObject(paths(a[1])));
        });
        r.register("json.patch", 2, (a, c) -> {
            ArrayValue ops = Operands.array(a, 1);
            c.charge(ops.size());
            try {
                return JsonPatch.apply(a[0], ops);
            } catch (JsonPatch.PatchException e) {
                return null;
            }
        });
    }

    private static String optionString(Value v, String key) throws BuiltinException {
        if (v instanceof StringValue s) {
            return s.value();
        }
        throw BuiltinException.typeError("operand 2 " + key + " must be a string but got " + v.typeName());
    }

    private static Value parseYaml(String text) throws BuiltinException {
        if (text.length() > MAX_TEXT) {
            throw BuiltinException.error("YAML document too large");
        }
        try {
            // Every document must parse, like Go's YAML decoder; the first one is the value.
            JsonNode first = null;
            try (com.fasterxml.jackson.core.JsonParser p = YAML.createParser(text)) {
                while (p.nextToken() != null) {
                    JsonNode doc = YAML.readTree(p);
                    if (first == null) {
                        first = doc;
                    }
                }
            }
            return ValueJson.fromNode(first);
        } catch (java.io.IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? "invalid YAML" : e.getMessage().lines().findFirst().orElse("invalid YAML");
            throw BuiltinException.error(msg);
        }
    }

    /** Paths given as "a/b/c" strings (JSON pointer escapes ~0 ~1) or arrays of segments. */
    static List<List<Value>> paths(Value operand) throws BuiltinException {
        List<Value> elems;
        if (operand instanceof ArrayValue arr) {
            elems = arr.elements();
        } else if (operand instanceof SetValue s) {
            elems = s.sorted();
        } else {
            throw BuiltinException.operandType(2, operand, "set", "array");
        }
        List<List<Value>> out = new ArrayList<>();
        for (Value e : elems) {
            out.add(parsePath(e));
        }
        return out;
    }

    static List<Value> parsePath(Value p) throws BuiltinException {
        if (p instanceof StringValue s) {
            List<Value> segs = new ArrayList<>();
            if (s.value().isEmpty()) {
                return segs;
            }
            String trimmed = s.value().replaceFirst("^/+", "");
            for (String part : StringBuiltins.split(trimmed, "/")) {
                segs.add(StringValue.of(part.replace("~1", "/").replace("~0", "~")));
            }
            return segs;
        }
        if (p instanceof ArrayValue arr) {
            return arr.elements();
        }
        throw BuiltinException.typeError("operand 2 must be one of {set, array} containing string paths or array of path segments but got "
                + p.typeName());
    }

    /** A tree of objects whose null leaves mark the selected paths. */
    private static ObjectValue pathsToObject(List<List<Value>> paths) {
        Map<Value, Object> root = new java.util.LinkedHashMap<>();
        for (List<Value> path : paths) {
            if (path.isEmpty()) {
                continue;
            }
            Map<Value, Object> node = root;
            boolean done = false;
            for (int i = 0; i < path.size() - 1 && !done; i++) {
                Object child = node.get(path.get(i));
                if (child == null) {
                    Map<Value, Object> fresh = new java.util.LinkedHashMap<>();
                    node.put(path.get(i), fresh);
                    node = fresh;
                } else if (child == NullValue.NULL) {
                    done = true;
                } else {
                    @SuppressWarnings("unchecked")
                    Map<Value, Object> next = (Map<Value, Object>) child;
                    node = next;
                }
            }
            if (!done) {
                node.put(path.get(path.size() - 1), NullValue.NULL);
            }
        }
        return toObject(root);
    }

    private static ObjectValue toObject(Map<Value, Object> tree) {
        ObjectValue.Builder b = ObjectValue.builder();
        for (Map.Entry<Value, Object> e : tree.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<Value, Object> sub = (Map<Value, Object>) m;
                b.put(e.getKey(), toObject(sub));
            } else {
                b.put(e.getKey(), NullValue.NULL);
            }
        }
        return b.build();
    }

    private static Value filter(Value v, Value filter) {
        if (filter instanceof NullValue) {
            return v;
        }
        ObjectValue f = (ObjectValue) filter;
        if (v instanceof ArrayValue arr) {
            List<Value> out = new ArrayList<>();
            for (int i = 0; i < arr.size(); i++) {
                Value sub = f.get(StringValue.of(Integer.toString(i)));
                if (sub != null) {
                    out.add(filter(arr.get(i), sub));
                }
            }
            return ArrayValue.of(out);
        }
        if (v instanceof SetValue s) {
            SetValue.Builder b = SetValue.builder();
            for (Value e : s.sorted()) {
                Value sub = f.get(e);
                if (sub != null) {
                    b.add(filter(e, sub));
                }
            }
            return b.build();
        }
        if (v instanceof ObjectValue o) {
            ObjectValue.Builder b = ObjectValue.builder();
            for (Map.Entry<Value, Value> e : o.entrySet()) {
                Value sub = f.get(e.getKey());
                if (sub != null) {
                    b.put(e.getKey(), filter(e.getValue(), sub));
                }
            }
            return b.build();
        }
        return v;
    }

    /** The value without the null leaves of {@code b}; null when the whole value is removed. */
    private static Value remove(Value a, Value b) {
        if (b == null) {
            return a;
        }
        if (b instanceof NullValue) {
            return null;
        }
        if (!(b instanceof ObjectValue bo)) {
            return a;
        }
        if (a instanceof ObjectValue o) {
            ObjectValue.Builder out = ObjectValue.builder();
            for (Map.Entry<Value, Value> e : o.entrySet()) {
                Value kept = remove(e.getValue(), bo.get(e.getKey()));
                if (kept != null) {
                    out.put(e.getKey(), kept);
                }
            }
            return out.build();
        }
        if (a instanceof SetValue s) {
            SetValue.Builder out = SetValue.builder();
            for (Value e : s.sorted()) {
                Value kept = remove(e, bo.get(e));
                if (kept != null) {
                    out.add(kept);
                }
            }
            return out.build();
        }
        if (a instanceof ArrayValue arr) {
            List<Value> out = new ArrayList<>();
            for (int i = 0; i < arr.size(); i++) {
                Value kept = remove(arr.get(i), bo.get(StringValue.of(Integer.toString(i))));
                if (kept != null) {
                    out.add(kept);
                }
            }
            return ArrayValue.of(out);
        }
        return a;
    }

    /** Go's encoding/json output: sorted keys, HTML-safe escapes, MarshalIndent layout when indent is set. */
    static final class GoJson {

        private GoJson() {
        }

        static String marshal(Value v, String prefix, String indent) {
            StringBuilder sb = new StringBuilder();
            write(sb, v, prefix, indent, 0);
            return sb.toString();
        }

        private static void newline(StringBuilder sb, String prefix, String indent, int depth) {
            sb.append('\n').append(prefix);
            for (int i = 0; i < depth; i++) {
                sb.append(indent);
            }
        }

        private static void write(StringBuilder sb, Value v, String prefix, String indent, int depth) {
            boolean pretty = indent != null;
            if (v instanceof ArrayValue || v instanceof SetValue) {
                List<Value> elems = v instanceof ArrayValue a ? a.elements() : ((SetValue) v).sorted();
                if (elems.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append('[');
                for (int i = 0; i < elems.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    if (pretty) {
                        newline(sb, prefix, indent, depth + 1);
                    }
                    write(sb, elems.get(i), prefix, indent, depth + 1);
                }
                if (pretty) {
                    newline(sb, prefix, indent, depth);
                }
                sb.append(']');
            } else if (v instanceof ObjectValue o) {
                if (o.size() == 0) {
                    sb.append("{}");
                    return;
                }
                List<String> keys = new ArrayList<>();
                Map<String, Value> byKey = new java.util.HashMap<>();
                for (Value k : o.sortedKeys()) {
                    String text = ValueJson.keyText(k);
                    keys.add(text);
                    byKey.put(text, o.get(k));
                }
                java.util.Collections.sort(keys);
                sb.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    if (pretty) {
                        newline(sb, prefix, indent, depth + 1);
                    }
                    string(sb, keys.get(i));
                    sb.append(pretty ? ": " : ":");
                    write(sb, byKey.get(keys.get(i)), prefix, indent, depth + 1);
                }
                if (pretty) {
                    newline(sb, prefix, indent, depth);
                }
                sb.append('}');
            } else if (v instanceof StringValue s) {
                string(sb, s.value());
            } else {
                sb.append(v);
            }
        }

        static void string(StringBuilder sb, String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    case '\b' -> sb.append("\\b");
                    case '\f' -> sb.append("\\f");
                    case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
    }
}
