package dev.gatehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.ports.EventPublisher.Event;
import dev.gatehouse.ports.StoreException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** PutEvents against a stub EventBridge endpoint on loopback (there is no local EventBridge). */
class EventBridgePublisherTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private EventBridgeClient client;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private volatile String response = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                requests.add(JSON.readTree(exchange.getRequestBody()));
                byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
        client = EventBridgeClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void putsOneEntryOnTheConfiguredBus() {
        new EventBridgePublisher(client, "gatehouse").publish(
                new Event("dev.gatehouse", "Image Verified", "{\"digest\":\"sha256:ab\",\"decision\":\"DENY\"}"));
        assertThat(requests).hasSize(1);
        JsonNode entry = requests.get(0).get("Entries").get(0);
        assertThat(entry.get("EventBusName").asText()).isEqualTo("gatehouse");
        assertThat(entry.get("Source").asText()).isEqualTo("dev.gatehouse");
        assertThat(entry.get("DetailType").asText()).isEqualTo("Image Verified");
        assertThat(entry.get("Detail").asText()).isEqualTo("{\"digest\":\"sha256:ab\",\"decision\":\"DENY\"}");
    }

    @Test
    void rejectedEntryIsAFailureNamingTheReason() {
        response = "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"MalformedDetail\",\"ErrorMessage\":\"Detail is malformed.\"}]}";
        EventBridgePublisher publisher = new EventBridgePublisher(client, "gatehouse");
        assertThatThrownBy(() -> publisher.publish(new Event("dev.gatehouse", "Image Verified", "{}")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("EventPublisher.publish")
                .hasMessageContaining("MalformedDetail");
    }
}
