package dev.gatehouse.rego.value;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/** Conversion between Rego values and JSON (Jackson trees or text). */
public final class ValueJson {

    /** Nesting bound for untrusted JSON documents. */
    public static final int MAX_DEPTH = 1000;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();
    // Jackson's limit messages cite the Java method that set the limit: "(1000, from `StreamReadConstraints...`)".
    private static final java.util.regex.Pattern JACKSON_LIMIT_SOURCE = java.util.regex.Pattern.compile(", from `[^`]*`");
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private ValueJson() {
    }

    /** Parses JSON text; throws {@link IllegalArgumentException} with line and column when it is not JSON. */
    public static Value parse(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            try {
                JsonToken t = p.nextToken();
                if (t == null) {
                    throw new IllegalArgumentException("JSON: empty document");
                }
                Value v = read(p, t);
                if (p.nextToken() != null) {
                    throw new IllegalArgumentException("JSON at line " + p.currentLocation().getLineNr() + ", column "
                            + p.currentLocation().getColumnNr() + ": trailing content");
                }
                return v;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // Constraint violations (nesting depth) carry no location; the parser still knows where it stopped.
                var at = e.getLocation() != null ? e.getLocation() : p.currentLocation();
                throw new IllegalArgumentException("JSON at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": "
                        + JACKSON_LIMIT_SOURCE.matcher(e.getOriginalMessage().lines().findFirst().orElse("malformed")).replaceAll(""), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Value read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                ObjectValue.Builder b = ObjectValue.builder();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    b.put(StringValue.of(name), read(p, p.nextToken()));
                }
                return b.build();
            }
            case START_ARRAY -> {
                java.util.ArrayList<Value> list = new java.util.ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(read(p, n));
                }
                return ArrayValue.of(list);
            }
            case VALUE_STRING -> {
                return StringValue.of(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return NumberValue.of(p.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NumberValue.of(p.getDecimalValue());
            }
            case VALUE_TRUE -> {
                return BooleanValue.TRUE;
            }
            case VALUE_FALSE -> {
                return BooleanValue.FALSE;
            }
            case VALUE_NULL -> {
                return NullValue.NULL;
            }
            default -> throw new IllegalArgumentException("JSON: unexpected token " + t);
        }
    }

    /** Converts a Jackson tree (JSON or YAML) to a value. */
    public static Value fromNode(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return NullValue.NULL;
        }
        if (n.isObject()) {
            ObjectValue.Builder b = ObjectValue.builder();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                b.put(StringValue.of(e.getKey()), fromNode(e.getValue()));
            }
            return b.build();
        }
        if (n.isArray()) {
            Value[] out = new Value[n.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = fromNode(n.get(i));
            }
            return ArrayValue.of(out);
        }
        if (n.isBoolean()) {
            return BooleanValue.of(n.booleanValue());
        }
        if (n.isIntegralNumber()) {
            return NumberValue.of(n.bigIntegerValue());
        }
        if (n.isNumber()) {
            return NumberValue.of(n.decimalValue());
        }
        if (n.isTextual()) {
            return StringValue.of(n.textValue());
        }
        if (n.isBinary()) {
            return StringValue.of(java.util.Base64.getEncoder().encodeToString(((com.fasterxml.jackson.databind.node.BinaryNode) n).binaryValue()));
        }
        return StringValue.of(n.asText());
    }

    /** Converts a value to a Jackson tree: sets become sorted arrays, non-string keys their Rego text. */
    public static JsonNode toNode(Value v) {
        if (v instanceof NullValue) {
            return NODES.nullNode();
        }
        if (v instanceof BooleanValue b) {
            return NODES.booleanNode(b.value());
        }
        if (v instanceof NumberValue n) {
            BigDecimal d = n.decimal();
            return n.isInteger() ? NODES.numberNode(d.toBigIntegerExact()) : NODES.numberNode(d);
        }
        if (v instanceof StringValue s) {
            return NODES.textNode(s.value());
        }
        if (v instanceof ArrayValue a) {
            ArrayNode out = NODES.arrayNode(a.size());
            for (Value e : a.elements()) {
                out.add(toNode(e));
            }
            return out;
        }
        if (v instanceof SetValue s) {
            ArrayNode out = NODES.arrayNode(s.size());
            for (Value e : s.sorted()) {
                out.add(toNode(e));
            }
            return out;
        }
        ObjectValue o = (ObjectValue) v;
        ObjectNode out = NODES.objectNode();
        for (Value k : o.sortedKeys()) {
            out.set(keyText(k), toNode(o.get(k)));
        }
        return out;
    }

    /** The JSON key text of an object key. */
    public static String keyText(Value k) {
        return k instanceof StringValue s ? s.value() : write(k);
    }

    /** Compact JSON text with sorted object keys. */
    public static String write(Value v) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    public static void write(JsonGenerator g, Value v) throws IOException {
        if (v instanceof NullValue) {
            g.writeNull();
        } else if (v instanceof BooleanValue b) {
            g.writeBoolean(b.value());
        } else if (v instanceof NumberValue n) {
            g.writeNumber(n.toString());
        } else if (v instanceof StringValue s) {
            g.writeString(s.value());
        } else if (v instanceof ArrayValue a) {
            g.writeStartArray();
            for (Value e : a.elements()) {
                write(g, e);
            }
            g.writeEndArray();
        } else if (v instanceof SetValue s) {
            g.writeStartArray();
            for (Value e : s.sorted()) {
                write(g, e);
            }
            g.writeEndArray();
        } else {
            ObjectValue o = (ObjectValue) v;
            g.writeStartObject();
            for (Value k : o.sortedKeys()) {
                g.writeFieldName(keyText(k));
                write(g, o.get(k));
            }
            g.writeEndObject();
        }
    }
}
