package dev.gatehouse.lambda.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * EventBridge PutEvents and Secrets Manager GetSecretValue on loopback, speaking the services'
 * documented JSON 1.1 wire format (there is no local EventBridge or Secrets Manager): records the
 * entries put and answers the secrets it was given.
 */
public final class AwsStubEndpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    public AwsStubEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
                JsonNode request = JSON.readTree(exchange.getRequestBody());
                int status = 200;
                String body;
                if (target.endsWith(".PutEvents")) {
                    request.get("Entries").forEach(events::add);
                    body = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"stub-" + events.size() + "\"}]}";
                } else if (target.equals("secretsmanager.GetSecretValue") && secrets.containsKey(request.path("SecretId").asText())) {
                    String id = request.path("SecretId").asText();
                    body = JSON.createObjectNode().put("ARN", id).put("Name", "stub").put("SecretString", secrets.get(id))
                            .put("VersionId", "v1").toString();
                } else {
                    status = 400;
                    body = "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"stub does not know " + target + "\"}";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void secret(String id, String value) {
        secrets.put(id, value);
    }

    /** The PutEvents entries received so far ({@code Source}, {@code DetailType}, {@code Detail}, {@code EventBusName}). */
    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
