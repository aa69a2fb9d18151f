package dev.gatehouse.ports;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Announces results (an image was verified, a compliance scan finished) to whoever listens. */
public interface EventPublisher {

    /** EventBridge's limit on one entry. */
    int MAX_EVENT_BYTES = 256 * 1024;

    /** {@code detailJson} is a JSON object, as EventBridge requires. */
    record Event(String source, String detailType, String detailJson) {
        public Event {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(detailType, "detailType");
            Objects.requireNonNull(detailJson, "detailJson");
            if (source.isBlank() || detailType.isBlank()) {
                throw new IllegalArgumentException("event source and detail-type must not be blank");
            }
            if (!detailJson.strip().startsWith("{")) {
                throw new IllegalArgumentException("event detail must be a JSON object");
            }
            int size = (source + detailType + detailJson).getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_EVENT_BYTES) {
                throw new IllegalArgumentException("event is " + size + " bytes, at most " + MAX_EVENT_BYTES);
            }
        }
    }

    void publish(Event event);
}
