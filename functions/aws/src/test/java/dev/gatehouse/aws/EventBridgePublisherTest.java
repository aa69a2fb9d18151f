package dev.gatehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.aws.testing.AwsJsonStub;
import dev.gatehouse.ports.EventPublisher.Event;
import dev.gatehouse.ports.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** PutEvents against a stub EventBridge endpoint on loopback (there is no local EventBridge). */
class EventBridgePublisherTest {

    private volatile String response = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}";
    private AwsJsonStub stub;
    private EventBridgeClient client;

    @BeforeEach
    void start() {
        stub = AwsJsonStub.start(request -> AwsJsonStub.Answer.ok(response));
        client = stub.configure(EventBridgeClient.builder()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        stub.close();
    }

    @Test
    void putsOneEntryOnTheConfiguredBus() {
        new EventBridgePublisher(client, "gatehouse").publish(
                new Event("dev.gatehouse", "Image Verified", "{\"digest\":\"sha256:ab\",\"decision\":\"DENY\"}"));
        assertThat(stub.requests()).hasSize(1);
        JsonNode entry = stub.requests().get(0).json().get("Entries").get(0);
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
