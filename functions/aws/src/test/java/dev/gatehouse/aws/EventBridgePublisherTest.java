package dev.gatehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.aws.testing.AwsJsonServer;
import dev.gatehouse.ports.EventPublisher.Event;
import dev.gatehouse.ports.StoreException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** PutEvents against a stub EventBridge endpoint on loopback (there is no local EventBridge). */
class EventBridgePublisherTest {

    private volatile String response = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}";
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private AwsJsonServer server;
    private EventBridgeClient client;

    @BeforeEach
    void start() throws Exception {
        server = AwsJsonServer.start((target, request) -> {
            requests.add(request);
            return AwsJsonServer.Reply.ok(response);
        });
        client = server.configure(EventBridgeClient.builder()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
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
