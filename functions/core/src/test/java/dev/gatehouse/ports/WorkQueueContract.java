package dev.gatehouse.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.ports.WorkQueue.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every WorkQueue does; subclasses supply the implementation under test, a fresh empty
 * queue per test.
 */
public abstract class WorkQueueContract {

    private WorkQueue queue;

    protected abstract WorkQueue newQueue();

    @BeforeEach
    void createQueue() {
        queue = newQueue();
    }

    private List<Message> drain(int expected) {
        List<Message> received = new ArrayList<>();
        for (int round = 0; round < 20 && received.size() < expected; round++) {
            received.addAll(queue.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(30)));
        }
        return received;
    }

    @Test
    void everySentMessageIsReceivedOnceAndDeletedMessagesStayGone() {
        List<String> bodies = IntStream.range(0, 25).mapToObj(i -> "{\"scan\":" + i + "}").toList();
        queue.sendBatch(bodies);
        List<Message> received = drain(25);
        assertThat(received).extracting(Message::body).containsExactlyInAnyOrderElementsOf(bodies);
        Set<String> ids = new HashSet<>();
        received.forEach(m -> ids.add(m.id()));
        assertThat(ids).hasSize(25);
        received.forEach(queue::delete);
        assertThat(queue.receive(10, Duration.ZERO, Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void messageNotDeletedIsDeliveredAgainAfterItsVisibilityTimeout() throws InterruptedException {
        queue.sendBatch(List.of("{\"scan\":\"again\"}"));
        List<Message> first = queue.receive(1, Duration.ofSeconds(1), Duration.ofSeconds(3));
        assertThat(first).hasSize(1);
        assertThat(queue.receive(1, Duration.ZERO, Duration.ofSeconds(30))).isEmpty();
        Thread.sleep(2_000);
        List<Message> second = queue.receive(1, Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertThat(second).extracting(Message::id).containsExactly(first.get(0).id());
        queue.delete(second.get(0));
        queue.delete(second.get(0));
        assertThat(queue.receive(1, Duration.ZERO, Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void batchWithAnOversizedBodySendsNothing() {
        String tooBig = "x".repeat(WorkQueue.MAX_BODY_BYTES + 1);
        assertThatThrownBy(() -> queue.sendBatch(List.of("{\"ok\":1}", tooBig)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(queue.receive(10, Duration.ZERO, Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void refusesReceiveArgumentsSqsWouldRefuse() {
        assertThatThrownBy(() -> queue.receive(11, Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.receive(1, Duration.ofSeconds(21), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
