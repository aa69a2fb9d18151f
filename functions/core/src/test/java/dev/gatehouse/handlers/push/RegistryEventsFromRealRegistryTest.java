package dev.gatehouse.handlers.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.Platform;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.NotificationWebhook;
import dev.gatehouse.oci.testing.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Envelopes the real distribution registry POSTs to its notification endpoint, read by the parser. */
class RegistryEventsFromRealRegistryTest {

    private static final NotificationWebhook WEBHOOK = NotificationWebhook.start();

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous()
            .withNotifications(WEBHOOK::uri);

    private final RegistryEventParser parser = new RegistryEventParser();
    private final List<RegistryEvent> seen = new ArrayList<>();


    @AfterAll
    static void stopWebhook() {
        WEBHOOK.close();
    }

    /** Parses envelopes as they arrive until one event matches (the registry delivers asynchronously). */
    private RegistryEvent await(Predicate<RegistryEvent> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            for (RegistryEvent event : seen) {
                if (wanted.test(event)) {
                    return event;
                }
            }
            NotificationWebhook.Delivery delivery = WEBHOOK.poll(Duration.ofMillis(500));
            if (delivery != null) {
                seen.addAll(parser.parse(delivery.body()));
            }
        }
        throw new AssertionError("no matching event within 15 s; parsed: " + seen);
    }

    @Test
    void pushOfATaggedImageIsOneImagePushWithTheRegistryHostAndItsBlobsAreIgnored() throws Exception {
        TestImages.TestImage image = TestImages.image();
        image.pushTo(REGISTRY.repository("events/app"), "v1");
        RegistryEvent event = await(e -> e instanceof RegistryEvent.ImagePushed p && p.push().digest().equals(image.manifest().digest()));
        PushEvent push = ((RegistryEvent.ImagePushed) event).push();
        assertThat(push.registry()).isEqualTo(REGISTRY.host());
        assertThat(push.repository()).isEqualTo("events/app");
        assertThat(push.tag()).isEqualTo("v1");
        assertThat(push.mediaType()).isEqualTo(image.manifest().mediaType());
        assertThat(push.eventId()).isNotBlank();
        assertThat(push.time()).isNotNull();
        assertThat(push.source()).isEqualTo(EventSource.DISTRIBUTION);
        await(e -> e instanceof RegistryEvent.Ignored i && i.reason().startsWith("blob push"));
        assertThat(seen).noneMatch(e -> e instanceof RegistryEvent.Ignored i && i.invalid());
    }

    @Test
    void pushOfACosignSignatureTagIsAnAttachmentOfItsSubject() throws Exception {
        OciRepository repository = REGISTRY.repository("events/signed");
        TestImages.TestImage image = TestImages.image();
        Descriptor subject = image.pushTo(repository, "v2");
        TestImages.TestImage signature = TestImages.image();
        signature.pushTo(repository, subject.digest().tagForm() + ".sig");
        RegistryEvent event = await(e -> e instanceof RegistryEvent.AttachmentPushed a
                && a.push().digest().equals(signature.manifest().digest()));
        RegistryEvent.AttachmentPushed attachment = (RegistryEvent.AttachmentPushed) event;
        assertThat(attachment.subject()).isEqualTo(subject.digest());
        assertThat(attachment.kind()).isEqualTo(AttachmentKind.SIGNATURE);
        assertThat(attachment.subjectReference()).isEqualTo(REGISTRY.host() + "/events/signed@" + subject.digest());
    }

    @Test
    void aMultiPlatformPushAnnouncesEachPlatformManifestByDigestAndTheIndexWithItsTag() throws Exception {
        TestImages.TestIndex multiArch = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"));
        Descriptor index = multiArch.pushTo(REGISTRY.repository("events/multi"), "v3");
        for (TestImages.TestImage platform : multiArch.images()) {
            RegistryEvent event = await(e -> e instanceof RegistryEvent.ImagePushed p && p.push().digest().equals(platform.manifest().digest()));
            assertThat(((RegistryEvent.ImagePushed) event).push().tag()).isNull();
        }
        RegistryEvent event = await(e -> e instanceof RegistryEvent.ImagePushed p && p.push().digest().equals(index.digest()));
        assertThat(((RegistryEvent.ImagePushed) event).push().tag()).isEqualTo("v3");
    }
}
