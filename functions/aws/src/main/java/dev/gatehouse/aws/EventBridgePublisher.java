package dev.gatehouse.aws;

import dev.gatehouse.ports.EventPublisher;
import dev.gatehouse.ports.StoreException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** Publishes each event with PutEvents to one event bus; a rejected entry is a failure. */
public final class EventBridgePublisher implements EventPublisher {

    private final EventBridgeClient client;
    private final String eventBusName;

    public EventBridgePublisher(EventBridgeClient client, String eventBusName) {
        this.client = client;
        this.eventBusName = eventBusName;
    }

    @Override
    public void publish(Event event) {
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                .eventBusName(eventBusName)
                .source(event.source())
                .detailType(event.detailType())
                .detail(event.detailJson())
                .build();
        PutEventsResponse response;
        try {
            response = client.putEvents(b -> b.entries(entry));
        } catch (SdkException e) {
            throw new StoreException("EventPublisher.publish", "event bus " + eventBusName + ": " + e.getMessage(), e);
        }
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            PutEventsResultEntry failed = response.entries().isEmpty() ? null : response.entries().get(0);
            throw new StoreException("EventPublisher.publish", "event bus " + eventBusName + " rejected "
                    + event.detailType() + " from " + event.source()
                    + (failed == null ? "" : ": " + failed.errorCode() + " " + failed.errorMessage()));
        }
    }
}
