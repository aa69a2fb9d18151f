package dev.gatehouse.handlers.push;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON form of a {@link RegistryEvent}: {@code kind} ({@code image-pushed},
 * {@code attachment-pushed}, {@code ignored}), {@code source}, {@code event_id}, and for pushes
 * {@code registry}, {@code repository}, {@code digest}, {@code tag}, {@code media_type},
 * {@code time}, {@code idempotency_key}; attachments add {@code subject} and {@code attachment};
 * ignored events have {@code reason} and {@code invalid}.
 */
public final class RegistryEventJson {

    private RegistryEventJson() {}

    public static ObjectNode toJson(RegistryEvent event) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (event instanceof RegistryEvent.ImagePushed pushed) {
            out.put("kind", "image-pushed");
            push(out, pushed.push());
        } else if (event instanceof RegistryEvent.AttachmentPushed attachment) {
            out.put("kind", "attachment-pushed");
            push(out, attachment.push());
            out.put("subject", attachment.subject().toString());
            out.put("subject_reference", attachment.subjectReference());
            out.put("attachment", attachment.kind().label());
        } else {
            RegistryEvent.Ignored ignored = (RegistryEvent.Ignored) event;
            out.put("kind", "ignored");
            out.put("source", ignored.source().label());
            out.put("event_id", ignored.eventId());
            out.put("invalid", ignored.invalid());
            out.put("reason", ignored.reason());
        }
        return out;
    }

    private static void push(ObjectNode out, PushEvent push) {
        out.put("source", push.source().label());
        out.put("event_id", push.eventId());
        out.put("registry", push.registry());
        out.put("repository", push.repository());
        out.put("digest", push.digest().toString());
        out.put("tag", push.tag());
        out.put("media_type", push.mediaType());
        out.put("time", push.time() == null ? null : push.time().toString());
        out.put("idempotency_key", push.idempotencyKey().value());
    }
}
