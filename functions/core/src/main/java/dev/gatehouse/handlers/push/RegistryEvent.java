package dev.gatehouse.handlers.push;

import dev.gatehouse.oci.Digest;
import java.util.Objects;

/** What one event of a registry envelope means to Gatehouse. */
public sealed interface RegistryEvent permits RegistryEvent.ImagePushed, RegistryEvent.AttachmentPushed, RegistryEvent.Ignored {

    /** An image manifest or index was pushed: verify it. */
    record ImagePushed(PushEvent push) implements RegistryEvent {
        public ImagePushed {
            Objects.requireNonNull(push, "push");
        }
    }

    /**
     * A signature, attestation, SBOM or referrers index was pushed for {@code subject}: the subject's
     * verdict may change (a new signature or VEX statement), so the pipeline may verify it again.
     * {@code push} describes the attachment manifest itself.
     */
    record AttachmentPushed(PushEvent push, Digest subject, AttachmentKind kind) implements RegistryEvent {
        public AttachmentPushed {
            Objects.requireNonNull(push, "push");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(kind, "kind");
        }

        /** The image whose verdict may change, in the attachment's repository. */
        public String subjectReference() {
            return push.registry() + "/" + push.repository() + "@" + subject;
        }
    }

    /**
     * An event that asks for no verification: not a push, a failed push, a blob, or an event that
     * is invalid (the reason says which, and where).
     *
     * @param eventId the registry's event id when it had a readable one, else null
     */
    record Ignored(String eventId, EventSource source, String reason) implements RegistryEvent {
        public Ignored {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(reason, "reason");
        }

        /** Ignored because the event is broken, as opposed to well formed but irrelevant. */
        public boolean invalid() {
            return reason.startsWith(RegistryEventParser.INVALID);
        }
    }
}
