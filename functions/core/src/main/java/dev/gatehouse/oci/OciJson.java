package dev.gatehouse.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Field readers for OCI JSON documents that fail with the document name and a JSON pointer. */
final class OciJson {

    private OciJson() {}

    static String requiredString(JsonNode parent, String field, String format, String pointer)
            throws MalformedInputException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new MalformedInputException(format, pointer + "/" + field, "missing required field");
        }
        if (!node.isTextual()) {
            throw new MalformedInputException(format, pointer + "/" + field, "expected a string");
        }
        return node.textValue();
    }

    static String optionalString(JsonNode parent, String field, String format, String pointer)
            throws MalformedInputException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new MalformedInputException(format, pointer + "/" + field, "expected a string");
        }
        return node.textValue();
    }

    static String mediaType(JsonNode parent, String field, boolean required, String format, String pointer)
            throws MalformedInputException {
        String value = required ? requiredString(parent, field, format, pointer)
                : optionalString(parent, field, format, pointer);
        if (value != null && !MediaTypes.isWellFormed(value)) {
            throw new MalformedInputException(format, pointer + "/" + field, "invalid media type '" + abbreviate(value) + "'");
        }
        return value;
    }

    static Map<String, String> annotations(JsonNode parent, String format, String pointer) throws MalformedInputException {
        JsonNode node = parent.get("annotations");
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new MalformedInputException(format, pointer + "/annotations", "expected an object of strings");
        }
        Map<String, String> result = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new MalformedInputException(format, pointer + "/annotations/" + e.getKey(), "expected a string");
            }
            result.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(result);
    }

    static void putAnnotations(ObjectNode target, Map<String, String> annotations) {
        if (!annotations.isEmpty()) {
            ObjectNode node = target.putObject("annotations");
            new TreeMap<>(annotations).forEach(node::put);
        }
    }

    static Map<String, String> copy(Map<String, String> annotations) {
        return annotations == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
