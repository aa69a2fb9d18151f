package dev.gatehouse.cli.serve;

import dev.gatehouse.handlers.JsonLog;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request as a route sees it: the body read whole (bounded by the route's limit), headers with
 * lower-case names, the request id (the caller's {@code X-Request-Id} when well formed, else a
 * fresh one) and a log that tags every line with it.
 */
public record ServeRequest(String requestId, String method, String path, String query, Map<String, List<String>> headers,
                           byte[] body, JsonLog log) {

    public ServeRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
