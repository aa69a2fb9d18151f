package dev.gatehouse.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A position in an untrusted JSON tree that knows its JSON pointer, so every type error names the
 * format and the exact place ("CSAF VEX at /vulnerabilities/2/cve: expected a string, found number").
 */
public record JsonCursor(String format, JsonNode node, String pointer) {

    public static JsonCursor root(JsonNode node, String format) {
        return new JsonCursor(format, node, "");
    }

    /** The same position, with errors naming another format. */
    public JsonCursor withFormat(String newFormat) {
        return new JsonCursor(newFormat, node, pointer);
    }

    public JsonCursor field(String name) {
        JsonNode child = node.isObject() ? node.get(name) : null;
        return new JsonCursor(format, child == null ? MissingNode.getInstance() : child,
                pointer + "/" + name.replace("~", "~0").replace("/", "~1"));
    }

    /** Present and not JSON null. */
    public boolean present() {
        return !node.isMissingNode() && !node.isNull();
    }

    public boolean has(String name) {
        return field(name).present();
    }

    public String where() {
        return pointer.isEmpty() ? "/" : pointer;
    }

    public MalformedInputException error(String problem) {
        return new MalformedInputException(format, where(), problem);
    }

    public JsonCursor requireObject() throws MalformedInputException {
        if (!node.isObject()) {
            throw error(present() ? "expected an object, found " + kind() : "required object is missing");
        }
        return this;
    }

    /** A required non-empty string. */
    public String text() throws MalformedInputException {
        String s = optText();
        if (s == null || s.isBlank()) {
            throw error(s == null ? "required string is missing" : "must not be empty");
        }
        return s;
    }

    /** A string, or null when absent. */
    public String optText() throws MalformedInputException {
        if (!present()) {
            return null;
        }
        if (!node.isTextual()) {
            throw error("expected a string, found " + kind());
        }
        return node.textValue();
    }

    /** A string or a number rendered as text (versions are written either way), or null. */
    public String optScalar() throws MalformedInputException {
        if (!present()) {
            return null;
        }
        if (node.isNumber()) {
            return node.asText();
        }
        return optText();
    }

    public BigDecimal optNumber() throws MalformedInputException {
        if (!present()) {
            return null;
        }
        if (!node.isNumber()) {
            throw error("expected a number, found " + kind());
        }
        return node.decimalValue();
    }

    /** The elements of an array, empty when absent. */
    public List<JsonCursor> array() throws MalformedInputException {
        if (!present()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error("expected an array, found " + kind());
        }
        List<JsonCursor> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new JsonCursor(format, node.get(i), pointer + "/" + i));
        }
        return out;
    }

    /** The string elements of an array, empty when absent. */
    public List<String> texts() throws MalformedInputException {
        List<String> out = new ArrayList<>();
        for (JsonCursor c : array()) {
            out.add(c.text());
        }
        return out;
    }

    /** The members of an object, empty when absent. */
    public List<Map.Entry<String, JsonCursor>> members() throws MalformedInputException {
        if (!present()) {
            return List.of();
        }
        requireObject();
        List<Map.Entry<String, JsonCursor>> out = new ArrayList<>();
        var it = node.fieldNames();
        while (it.hasNext()) {
            String name = it.next();
            out.add(Map.entry(name, field(name)));
        }
        return out;
    }

    /** An RFC 3339 timestamp, or null when absent. */
    public Instant optInstant() throws MalformedInputException {
        String s = optText();
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s.strip()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s.strip());
            } catch (DateTimeParseException e2) {
                throw error("'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "' is not an RFC 3339 timestamp");
            }
        }
    }

    private String kind() {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
