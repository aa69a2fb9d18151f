package dev.gatehouse.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Structured logs: one JSON object per line with {@code time}, {@code level}, {@code message} and
 * the fields bound with {@link #with} (a request id, the function name) followed by the call's own.
 * Values are written as JSON strings, numbers or booleans; anything else as its string form.
 */
public final class JsonLog {

    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static final int MAX_FIELD_CHARS = 8192;

    private final Consumer<String> sink;
    private final Clock clock;
    private final Map<String, Object> bound;

    public JsonLog(Consumer<String> sink, Clock clock) {
        this(sink, clock, Map.of());
    }

    private JsonLog(Consumer<String> sink, Clock clock, Map<String, Object> bound) {
        this.sink = sink;
        this.clock = clock;
        this.bound = bound;
    }

    public static JsonLog to(PrintStream out) {
        return new JsonLog(line -> {
            synchronized (out) {
                out.println(line);
            }
        }, Clock.systemUTC());
    }

    public static JsonLog discard() {
        return new JsonLog(line -> { }, Clock.systemUTC());
    }

    /** A log that adds {@code key} to every line (e.g. {@code request_id}). */
    public JsonLog with(String key, Object value) {
        Map<String, Object> fields = new LinkedHashMap<>(bound);
        fields.put(key, value);
        return new JsonLog(sink, clock, fields);
    }

    public void info(String message, Map<String, ?> fields) {
        log(Level.INFO, message, fields);
    }

    public void warn(String message, Map<String, ?> fields) {
        log(Level.WARN, message, fields);
    }

    public void error(String message, Map<String, ?> fields) {
        log(Level.ERROR, message, fields);
    }

    public void log(Level level, String message, Map<String, ?> fields) {
        ObjectNode line = UntrustedJson.mapper().createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("level", level.name());
        line.put("message", truncate(message));
        bound.forEach((k, v) -> put(line, k, v));
        fields.forEach((k, v) -> put(line, k, v));
        try {
            sink.accept(UntrustedJson.mapper().writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(ObjectNode line, String key, Object value) {
        if (value == null) {
            line.putNull(key);
        } else if (value instanceof Number n && (value instanceof Integer || value instanceof Long)) {
            line.put(key, n.longValue());
        } else if (value instanceof Number n) {
            line.put(key, n.doubleValue());
        } else if (value instanceof Boolean b) {
            line.put(key, b);
        } else {
            line.put(key, truncate(value.toString()));
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_FIELD_CHARS ? s : s.substring(0, MAX_FIELD_CHARS) + "...";
    }
}
