package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry fixture can deliver real distribution push events to a webhook (for the event handlers). */
class RegistryNotificationsTest {

    private static final BlockingQueue<String> EVENTS = new LinkedBlockingQueue<>();
    private static final HttpServer WEBHOOK = webhook();

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous()
            .withNotifications(() -> URI.create("http://127.0.0.1:" + WEBHOOK.getAddress().getPort() + "/events"));

    private static HttpServer webhook() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/events", exchange -> {
                try (exchange) {
                    EVENTS.add(exchange.getRequestHeaders().getFirst("Content-Type") + " "
                            + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopWebhook() {
        WEBHOOK.stop(0);
    }

    @Test
    void pushOfATagArrivesAsAPushEventWithTheManifestDigest() throws Exception {
        TestImages.TestImage image = TestImages.image();
        image.pushTo(REGISTRY.repository("events/app"), "v1");
        String wanted = image.manifest().digest().toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String match = null;
        while (match == null && System.nanoTime() < deadline) {
            String polled = EVENTS.poll(500, TimeUnit.MILLISECONDS);
            String event = polled == null ? null : polled.replaceAll("\\s+", "");
            if (event != null && event.contains("\"action\":\"push\"") && event.contains(wanted) && event.contains("\"tag\":\"v1\"")) {
                match = polled;
            }
        }
        assertThat(match).as("push event for " + wanted).isNotNull()
                .startsWith("application/vnd.docker.distribution.events.v1+json");
    }
}
