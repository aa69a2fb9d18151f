package dev.gatehouse.ports;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Work items for background workers (compliance-scan fan-out). Delivery is at least once: a
 * received message that is not deleted within its visibility timeout is delivered again, so
 * workers pair this with {@link IdempotencyKeys}.
 */
public interface WorkQueue {

    /** SQS's limit on one message body. */
    int MAX_BODY_BYTES = 256 * 1024;

    record Message(String id, String body, String receiptHandle) {
        public Message {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(receiptHandle, "receiptHandle");
        }
    }

    /** Sends every body, or throws naming the ones that could not be sent. */
    void sendBatch(List<String> bodies);

    /**
     * Up to {@code max} (1-10) messages, waiting up to {@code wait} (whole seconds, at most 20)
     * for the first; each stays invisible to other receivers for {@code visibilityTimeout}.
     */
    List<Message> receive(int max, Duration wait, Duration visibilityTimeout);

    /** Acknowledges a processed message. Deleting one already deleted is harmless. */
    void delete(Message message);
}
