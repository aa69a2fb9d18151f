package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.NotificationWebhook;
import dev.gatehouse.oci.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry fixture can deliver real distribution push events to a webhook (for the event handlers). */
class RegistryNotificationsTest {

    private static final NotificationWebhook WEBHOOK = NotificationWebhook.start();

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous()
            .withNotifications(WEBHOOK::uri);


    @AfterAll
    static void stopWebhook() {
        WEBHOOK.close();
    }

    @Test
    void pushOfATagArrivesAsAPushEventWithTheManifestDigest() throws Exception {
        TestImages.TestImage image = TestImages.image();
        image.pushTo(REGISTRY.repository("events/app"), "v1");
        String wanted = image.manifest().digest().toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String match = null;
        while (match == null && System.nanoTime() < deadline) {
            NotificationWebhook.Delivery delivery = WEBHOOK.poll(Duration.ofMillis(500));
            String polled = delivery == null ? null : delivery.contentType() + " " + new String(delivery.body(), StandardCharsets.UTF_8);
            String event = polled == null ? null : polled.replaceAll("\\s+", "");
            if (event != null && event.contains("\"action\":\"push\"") && event.contains(wanted) && event.contains("\"tag\":\"v1\"")) {
                match = polled;
            }
        }
        assertThat(match).as("push event for " + wanted).isNotNull()
                .startsWith("application/vnd.docker.distribution.events.v1+json");
    }
}
