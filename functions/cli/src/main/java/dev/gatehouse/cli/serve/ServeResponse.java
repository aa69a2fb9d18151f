package dev.gatehouse.cli.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.UntrustedJson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers, and the fields it wants on the request's log line (an outcome, a count),
 * so one line per request says what happened.
 */
public record ServeResponse(int status, String contentType, byte[] body, Map<String, Object> logFields) {

    public static final String JSON = "application/json";

    public ServeResponse {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("invalid HTTP status " + status);
        }
        logFields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(logFields));
    }

    public static ServeResponse json(int status, JsonNode body) {
        try {
            return new ServeResponse(status, JSON, UntrustedJson.mapper().writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code {"error": message}}. */
    public static ServeResponse error(int status, String message) {
        return json(status, UntrustedJson.mapper().createObjectNode().put("error", message));
    }

    public static ServeResponse text(int status, String text) {
        return new ServeResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The same response with one more field on its log line. */
    public ServeResponse withLogField(String key, Object value) {
        Map<String, Object> fields = new LinkedHashMap<>(logFields);
        fields.put(key, value);
        return new ServeResponse(status, contentType, body, fields);
    }
}
