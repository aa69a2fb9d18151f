package dev.gatehouse.ports.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.ports.EventPublisher.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingEventPublisherTest {

    @Test
    void keepsTheLastEventsAndTellsListeners() {
        RecordingEventPublisher publisher = new RecordingEventPublisher(2);
        List<Event> heard = new ArrayList<>();
        publisher.addListener(heard::add);
        for (int i = 0; i < 3; i++) {
            publisher.publish(new Event("gatehouse", "Image Verified", "{\"n\":" + i + "}"));
        }
        assertThat(publisher.events()).extracting(Event::detailJson).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(heard).hasSize(3);
    }

    @Test
    void eventDetailMustBeAJsonObject() {
        assertThatThrownBy(() -> new Event("gatehouse", "Image Verified", "[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Event(" ", "Image Verified", "{}")).isInstanceOf(IllegalArgumentException.class);
    }
}
