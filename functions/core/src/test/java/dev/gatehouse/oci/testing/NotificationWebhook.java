package dev.gatehouse.oci.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook on a free loopback port that keeps what a {@link LocalRegistry} POSTs to it: start it in
 * a static field, give {@code withNotifications(WEBHOOK::uri)}, poll the deliveries, close it after all.
 */
public final class NotificationWebhook implements AutoCloseable {

    /** One POST: its Content-Type and body. */
    public record Delivery(String contentType, byte[] body) {}

    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final HttpServer server;

    private NotificationWebhook(HttpServer server) {
        this.server = server;
    }

    public static NotificationWebhook start() {
        try {
            NotificationWebhook webhook = new NotificationWebhook(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
            webhook.server.createContext("/events", exchange -> {
                try (exchange) {
                    webhook.deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("Content-Type"),
                            exchange.getRequestBody().readAllBytes()));
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            webhook.server.start();
            return webhook;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
    }

    /** The next delivery, or null when none arrives within {@code timeout} (the registry delivers asynchronously). */
    public Delivery poll(Duration timeout) throws InterruptedException {
        return deliveries.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Handles one delivered body; true when it did work (verified something, failed), false when it was ignorable. */
    @FunctionalInterface
    public interface Handler {
        boolean handle(byte[] body) throws Exception;
    }

    /**
     * Hands every delivery to {@code handler} until none did work for {@code quiet}: the registry's
     * events, and those the handling itself causes, have settled. False when {@code max} ran out first.
     */
    public boolean drain(Handler handler, Duration quiet, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        long lastWork = System.nanoTime();
        while (System.nanoTime() - deadline < 0 && System.nanoTime() - lastWork < quiet.toNanos()) {
            Delivery delivery = poll(Duration.ofMillis(500));
            if (delivery != null && handler.handle(delivery.body())) {
                lastWork = System.nanoTime();
            }
        }
        return System.nanoTime() - deadline < 0;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
