package dev.gatehouse.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.handlers.SharedSecret;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpHostTest {

    static final String SECRET_TEXT = "guarded-route-secret-0123456789";
    static final SharedSecret SECRET = SharedSecret.of(SECRET_TEXT);

    final List<String> lines = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    HttpHost host;

    @BeforeEach
    void start() throws Exception {
        host = HttpHost.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, List.of(
                Route.post("/echo", 16, request -> ServeResponse.text(200, new String(request.body()))
                        .withLogField("outcome", "echoed")),
                Route.post("/malformed", 1024, request -> {
                    throw new MalformedInputException("registry event", "/events", "expected an array");
                }),
                Route.post("/broken", 1024, request -> {
                    throw new IllegalStateException("secret internal detail");
                }),
                Route.post("/guarded", 16, request -> ServeResponse.text(200, request.path())).authenticatedBy(SECRET)),
                new JsonLog(lines::add, Clock.systemUTC()), new Metrics("Gatehouse", Clock.systemUTC(), lines::add), 2);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    HttpResponse<String> post(String path, String body, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host.uri() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesARequestAndLogsOneLineWithTheCallersRequestIdAndTheRouteFields() throws Exception {
        HttpResponse<String> response = post("/echo", "hello", "req-42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-42");
        JsonNode log = awaitLine(l -> l.path("message").asText().equals("request"));
        assertThat(log.path("request_id").asText()).isEqualTo("req-42");
        assertThat(log.path("status").asInt()).isEqualTo(200);
        assertThat(log.path("path").asText()).isEqualTo("/echo");
        assertThat(log.path("outcome").asText()).isEqualTo("echoed");
        assertThat(log.path("bytes_in").asInt()).isEqualTo(5);
    }

    @Test
    void emitsRequestCountAndLatencyAsEmfByRouteAndStatus() throws Exception {
        post("/echo", "x", null);

        JsonNode emf = awaitLine(l -> l.has("_aws"));
        JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Gatehouse");
        assertThat(directive.path("Dimensions").get(0).toString()).isEqualTo("[\"Route\",\"Status\"]");
        assertThat(emf.path("Route").asText()).isEqualTo("/echo");
        assertThat(emf.path("Status").asText()).isEqualTo("200");
        assertThat(emf.path("Requests").asInt()).isEqualTo(1);
        assertThat(emf.has("Latency")).isTrue();
    }

    @Test
    void generatesARequestIdWhenTheCallersIsMalformed() throws Exception {
        HttpResponse<String> response = post("/echo", "x", "bad id with spaces");

        assertThat(response.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f-]{36}");
    }

    @Test
    void refusesABodyOverTheRouteLimitWith413() throws Exception {
        HttpResponse<String> response = post("/echo", "x".repeat(17), null);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response.body()).path("error").asText()).contains("exceeds 16 bytes");
    }

    @Test
    void answersUnknownPaths404AndWrongMethods405() throws Exception {
        assertThat(post("/nowhere", "", null).statusCode()).isEqualTo(404);
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(host.uri() + "/echo")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void malformedInputIsA400WithItsOneLineMessage() throws Exception {
        HttpResponse<String> response = post("/malformed", "{}", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).path("error").asText()).isEqualTo("registry event at /events: expected an array");
    }

    @Test
    void aFailingHandlerAnswers500WithTheRequestIdOnlyAndLogsTheDetail() throws Exception {
        HttpResponse<String> response = post("/broken", "{}", "req-7");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("req-7").doesNotContain("secret internal detail").doesNotContain("Exception");
        JsonNode log = awaitLine(l -> l.path("message").asText().equals("handler failed"));
        assertThat(log.path("detail").asText()).isEqualTo("secret internal detail");
        assertThat(log.path("request_id").asText()).isEqualTo("req-7");
    }

    @Test
    void aGuardedRouteTakesItsSecretAsBearerTokenOrAsTheLastPathSegment() throws Exception {
        HttpResponse<String> bearer = http.send(HttpRequest.newBuilder(URI.create(host.uri() + "/guarded"))
                .header("Authorization", "Bearer " + SECRET_TEXT).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bearer.statusCode()).isEqualTo(200);
        HttpResponse<String> inPath = post("/guarded/" + SECRET_TEXT, "x", "req-path");
        assertThat(inPath.statusCode()).isEqualTo(200);
        assertThat(inPath.body()).as("the handler sees the route's path").isEqualTo("/guarded");
        JsonNode log = awaitLine(l -> l.path("request_id").asText().equals("req-path") && l.path("message").asText().equals("request"));
        assertThat(log.path("path").asText()).isEqualTo("/guarded/****");
        assertThat(lines).noneMatch(line -> line.contains(SECRET_TEXT));
    }

    @Test
    void aGuardedRouteRefusesCallersWithoutTheSecretBeforeReadingTheBody() throws Exception {
        // The body is over the route's limit: a 401 rather than a 413 shows it was never read.
        String oversized = "x".repeat(64);
        assertThat(post("/guarded", oversized, null).statusCode()).isEqualTo(401);
        assertThat(post("/guarded/wrong-secret-0123456789", oversized, "req-wrong").statusCode()).isEqualTo(401);
        assertThat(post("/guarded/" + SECRET_TEXT + "/more", oversized, null).statusCode()).isEqualTo(404);
        HttpResponse<String> wrongBearer = http.send(HttpRequest.newBuilder(URI.create(host.uri() + "/guarded"))
                .header("Authorization", "Bearer wrong-secret-0123456789").POST(HttpRequest.BodyPublishers.ofString(oversized)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongBearer.statusCode()).isEqualTo(401);
        assertThat(wrongBearer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(awaitLine(l -> l.path("request_id").asText().equals("req-wrong") && l.path("message").asText().equals("request"))
                .path("path").asText()).isEqualTo("/guarded/****");
        assertThat(post("/echo/" + SECRET_TEXT, "x", null).statusCode()).as("open routes take no path secret").isEqualTo(404);
    }

    /** The server logs after it has answered, so a line may arrive just after the response. */
    private JsonNode awaitLine(java.util.function.Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                JsonNode node = json(line);
                if (wanted.test(node)) {
                    return node;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no such line in " + lines);
    }

    private static JsonNode json(String s) {
        try {
            return UntrustedJson.mapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }
}
