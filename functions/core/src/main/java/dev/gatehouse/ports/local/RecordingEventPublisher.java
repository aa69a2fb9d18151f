package dev.gatehouse.ports.local;

import dev.gatehouse.ports.EventPublisher;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Keeps the most recent published events in memory and hands each to the listeners (for
 * {@code gatehouse serve}, which logs them, and for tests).
 */
public final class RecordingEventPublisher implements EventPublisher {

    private final Deque<Event> events = new ArrayDeque<>();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private final int capacity;

    /** Keeps the last {@code capacity} events. */
    public RecordingEventPublisher(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    @Override
    public void publish(Event event) {
        synchronized (events) {
            if (events.size() == capacity) {
                events.removeFirst();
            }
            events.addLast(event);
        }
        for (Consumer<Event> listener : listeners) {
            listener.accept(event);
        }
    }

    public void addListener(Consumer<Event> listener) {
        listeners.add(listener);
    }

    /** The kept events, oldest first. */
    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
