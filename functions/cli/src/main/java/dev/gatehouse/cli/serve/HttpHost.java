package dev.gatehouse.cli.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.io.MalformedInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The HTTP(S) host of {@code gatehouse serve}: the JDK's HttpServer with exact-path routes, bounded
 * request bodies, a request id per request (echoed as {@code X-Request-Id}), one JSON log line per
 * request and EMF metrics ({@code Requests}, {@code Latency} by route and status). Guarded routes
 * (see {@link Route}) answer 401 before the body is read unless the caller presents the secret, and
 * a secret sent as a path segment is logged as {@code ****}. A handler's
 * exception never reaches the client as a stack trace: malformed input answers 400 with its one-line
 * message, anything else 500 naming only the request id.
 */
public final class HttpHost implements AutoCloseable {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final HttpServer server;
    private final ExecutorService executor;
    private final boolean tls;
    private final Map<String, Map<String, Route>> routes;
    /** Paths with a route that takes a secret, which may then follow as one more path segment; longest first. */
    private final List<String> guardedPaths;
    private final JsonLog log;
    private final Metrics metrics;

    private HttpHost(HttpServer server, ExecutorService executor, boolean tls, Map<String, Map<String, Route>> routes,
                     JsonLog log, Metrics metrics) {
        this.server = server;
        this.executor = executor;
        this.tls = tls;
        this.routes = routes;
        this.guardedPaths = routes.entrySet().stream().filter(e -> e.getValue().values().stream().anyMatch(r -> r.secret() != null))
                .map(Map.Entry::getKey).sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.log = log;
        this.metrics = metrics;
    }

    /**
     * Binds {@code address} (port 0 picks a free one) and starts serving {@code routes}; HTTPS when
     * {@code tlsContext} is not null.
     */
    public static HttpHost start(InetSocketAddress address, SSLContext tlsContext, List<Route> routes, JsonLog log, Metrics metrics,
                                 int threads) throws IOException {
        Map<String, Map<String, Route>> byPath = new LinkedHashMap<>();
        for (Route route : routes) {
            Route previous = byPath.computeIfAbsent(route.path(), p -> new LinkedHashMap<>()).put(route.method(), route);
            if (previous != null) {
                throw new IllegalArgumentException("two routes for " + route.method() + " " + route.path());
            }
        }
        HttpServer server;
        if (tlsContext != null) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tlsContext));
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        ExecutorService executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-serve");
            thread.setDaemon(true);
            return thread;
        });
        HttpHost host = new HttpHost(server, executor, tlsContext != null, byPath, log, metrics);
        server.createContext("/", host::exchange);
        server.setExecutor(executor);
        server.start();
        return host;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http(s)://host:port}. */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + address.getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void exchange(HttpExchange exchange) {
        long start = System.nanoTime();
        String requestId = requestId(exchange.getRequestHeaders().getFirst(REQUEST_ID_HEADER));
        JsonLog requestLog = log.with("request_id", requestId);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Map<String, Route> forPath = routes.get(path);
        String pathSecret = null;
        // A secret sent in the path is never logged or echoed, even on a path that matches nothing.
        String shownPath = path;
        for (String guarded : forPath == null ? guardedPaths : List.<String>of()) {
            if (path.startsWith(guarded + "/")) {
                String rest = path.substring(guarded.length() + 1);
                shownPath = guarded + "/****";
                if (rest.indexOf('/') < 0) {
                    pathSecret = rest;
                    path = guarded;
                    forPath = routes.get(guarded);
                }
                break;
            }
        }
        Route route = forPath == null ? null : forPath.get(method);
        long bytesIn = 0;
        ServeResponse response;
        try {
            if (forPath == null || route != null && pathSecret != null && route.secret() == null) {
                response = ServeResponse.error(404, "no route " + printable(shownPath));
            } else if (route == null) {
                exchange.getResponseHeaders().set("Allow", String.join(", ", forPath.keySet()));
                response = ServeResponse.error(405, "method " + printable(method) + " not allowed on " + path);
            } else if (route.secret() != null && !route.secret().accepts(exchange.getRequestHeaders().getFirst("Authorization"), pathSecret)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                response = ServeResponse.error(401, "missing or wrong secret for " + path
                        + " (Authorization: Bearer, or the secret as the last path segment)");
            } else {
                byte[] body = readBody(exchange, route.maxBodyBytes());
                if (body == null) {
                    response = ServeResponse.error(413, "request body exceeds " + route.maxBodyBytes() + " bytes for " + path);
                } else {
                    bytesIn = body.length;
                    response = handle(route, new ServeRequest(requestId, method, path, exchange.getRequestURI().getRawQuery(),
                            headers(exchange), body, requestLog), requestLog);
                }
            }
        } catch (IOException e) {
            response = ServeResponse.error(400, "cannot read the request body: " + e.getMessage());
        }
        long bytesOut = respond(exchange, requestId, response, requestLog);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("method", printable(method));
        fields.put("path", printable(shownPath));
        fields.put("status", response.status());
        fields.put("millis", millis);
        fields.put("bytes_in", bytesIn);
        fields.put("bytes_out", bytesOut);
        fields.put("remote", exchange.getRemoteAddress() == null ? null : exchange.getRemoteAddress().getAddress().getHostAddress());
        fields.putAll(response.logFields());
        requestLog.log(response.status() >= 500 ? JsonLog.Level.ERROR : JsonLog.Level.INFO, "request", fields);
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("Route", route == null ? "unrouted" : route.path());
        dimensions.put("Status", Integer.toString(response.status()));
        metrics.emit(dimensions, List.of(Metrics.Value.count("Requests"), Metrics.Value.millis("Latency", millis)));
    }

    private static ServeResponse handle(Route route, ServeRequest request, JsonLog log) {
        try {
            return route.handler().handle(request);
        } catch (MalformedInputException | IllegalArgumentException e) {
            return ServeResponse.error(400, e.getMessage());
        } catch (Exception | StackOverflowError e) {
            log.error("handler failed", Map.of("path", route.path(), "exception", e.getClass().getName(),
                    "detail", String.valueOf(e.getMessage())));
            return ServeResponse.error(500, "internal error (request id " + request.requestId() + ")");
        }
    }

    /** The body, or null when it is larger than {@code max}. */
    private static byte[] readBody(HttpExchange exchange, int max) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > max) {
                    return null;
                }
            } catch (NumberFormatException e) {
                throw new IOException("invalid Content-Length");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(max + 1);
            return body.length > max ? null : body;
        }
    }

    private static long respond(HttpExchange exchange, String requestId, ServeResponse response, JsonLog log) {
        try (exchange) {
            exchange.getResponseHeaders().set(REQUEST_ID_HEADER, requestId);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            return body.length;
        } catch (IOException e) {
            log.warn("response not delivered", Map.of("detail", String.valueOf(e.getMessage())));
            return 0;
        }
    }

    private static Map<String, List<String>> headers(HttpExchange exchange) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        return out;
    }

    private static String requestId(String offered) {
        return offered != null && REQUEST_ID.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
