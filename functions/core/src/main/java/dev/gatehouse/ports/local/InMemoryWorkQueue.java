package dev.gatehouse.ports.local;

import dev.gatehouse.ports.WorkQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A queue in process memory with SQS's delivery rules: a received message is hidden for its
 * visibility timeout and delivered again unless deleted; each receive gets a new receipt handle.
 */
public final class InMemoryWorkQueue implements WorkQueue {

    private static final class Stored {
        final String id;
        final String body;
        Instant visibleAt = Instant.MIN;
        String receiptHandle;

        Stored(String id, String body) {
            this.id = id;
            this.body = body;
        }
    }

    private final Map<String, Stored> messages = new LinkedHashMap<>();
    private final Clock clock;

    public InMemoryWorkQueue(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void sendBatch(List<String> bodies) {
        for (String body : bodies) {
            checkBody(body);
        }
        for (String body : bodies) {
            String id = UUID.randomUUID().toString();
            messages.put(id, new Stored(id, body));
        }
        notifyAll();
    }

    @Override
    public synchronized List<Message> receive(int max, Duration wait, Duration visibilityTimeout) {
        checkReceive(max, wait, visibilityTimeout);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<Message> received = takeVisible(max, visibilityTimeout);
            long remaining = deadline - System.nanoTime();
            if (!received.isEmpty() || remaining <= 0) {
                return received;
            }
            try {
                wait(Math.max(1, Math.min(remaining / 1_000_000, 100)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
    }

    @Override
    public synchronized void delete(Message message) {
        Stored stored = messages.get(message.id());
        if (stored != null && message.receiptHandle().equals(stored.receiptHandle)) {
            messages.remove(message.id());
        }
    }

    private List<Message> takeVisible(int max, Duration visibilityTimeout) {
        Instant now = clock.instant();
        List<Message> received = new ArrayList<>();
        for (Stored stored : messages.values()) {
            if (received.size() == max) {
                break;
            }
            if (!stored.visibleAt.isAfter(now)) {
                stored.visibleAt = now.plus(visibilityTimeout);
                stored.receiptHandle = UUID.randomUUID().toString();
                received.add(new Message(stored.id, stored.body, stored.receiptHandle));
            }
        }
        return received;
    }

    /** The argument rules of SQS, shared by both implementations so they fail alike. */
    public static void checkBody(String body) {
        if (body == null || body.isEmpty()) {
            throw new IllegalArgumentException("message body must not be empty");
        }
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("message body is " + size + " bytes, at most " + MAX_BODY_BYTES);
        }
    }

    public static void checkReceive(int max, Duration wait, Duration visibilityTimeout) {
        if (max < 1 || max > 10) {
            throw new IllegalArgumentException("can receive 1 to 10 messages at once, asked for " + max);
        }
        if (wait.isNegative() || wait.compareTo(Duration.ofSeconds(20)) > 0) {
            throw new IllegalArgumentException("receive wait must be 0 to 20 seconds, got " + wait);
        }
        if (visibilityTimeout.isNegative() || visibilityTimeout.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("visibility timeout must be 0 to 12 hours, got " + visibilityTimeout);
        }
    }
}
