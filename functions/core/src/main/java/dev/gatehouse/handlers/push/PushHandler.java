package dev.gatehouse.handlers.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.helm.HelmChart;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.Manifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.EventPublisher;
import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.verify.ReportJson;
import dev.gatehouse.verify.VerificationException;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.verify.VerificationReport;
import dev.gatehouse.verify.VerificationRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Registry push events to stored, announced verdicts. For each image push (and each attachment push,
 * which re-verifies its subject) that is not a duplicate, runs the one verification pipeline on the
 * pushed digest, stores the result (large reports in the blob store), publishes an
 * {@value #IMAGE_VERIFIED} event and calls the listeners.
 *
 * <p>Deduplication: events arrive at least once and one digest is often pushed under several tags,
 * so the work is keyed by {@code registry/repository@digest} and the policy revision. An image push
 * claims its key for {@link Settings#processingTtl()}; a result already stored for the digest, the
 * repository and the revision makes later deliveries duplicates. An attachment push is keyed by its
 * own manifest digest too: before verifying a subject the handler notes the attachment manifests
 * present (cosign {@code .sig/.att/.sbom} tags, the referrers fallback tag), and after storing the
 * result claims them for {@link Settings#attachmentRetention()}, so an attachment the verification
 * already saw does not verify its subject again. Every failure releases the claim, so a redelivery
 * retries; a failure is never stored as a verdict.
 *
 * <p>Only what can be deployed by name is verified on push: a manifest pushed by digest without a
 * tag (each platform manifest of a multi-platform push, which precedes its index) is ignored until
 * a tag or index push names it; the index is then verified once, with the evidence attached to it.
 * A referrer pushed by digest is an attachment and still re-verifies its subject.
 */
public final class PushHandler {

    public static final String EVENT_SOURCE = "dev.gatehouse";
    public static final String IMAGE_VERIFIED = "Image Verified";
    public static final String VERIFICATION_FAILED = "Image Verification Failed";
    public static final String FUNCTION = "registry-push";
    static final int MAX_EVENT_DENIALS = 20;
    /**
     * Why a manifest pushed by digest alone is not verified: clients push each platform manifest of a
     * multi-platform image that way before the index that names them, and signatures and
     * attestations are attached to the index (the digest rule, docs/oci.md). Verified alone it would
     * be denied for want of evidence that is there, and verified again through the index.
     */
    static final String UNTAGGED = "pushed by digest without a tag (e.g. a platform manifest before its index): "
            + "verified through the tag or index that names it";

    /** The stores the handler writes to. */
    public record Ports(ResultStore results, BlobStore blobs, IdempotencyKeys idempotency, EventPublisher events) {
        public Ports {
            Objects.requireNonNull(results, "results");
            Objects.requireNonNull(blobs, "blobs");
            Objects.requireNonNull(idempotency, "idempotency");
            Objects.requireNonNull(events, "events");
        }
    }

    /**
     * @param processingTtl       how long a claim protects work in flight (longer than one verification may take)
     * @param attachmentRetention how long an attachment seen by a verification stays a duplicate
     * @param registries          registry hosts whose pushes are verified; pushes from others are ignored (empty: all)
     */
    public record Settings(Duration processingTtl, Duration attachmentRetention, Set<String> registries) {
        public Settings {
            Objects.requireNonNull(processingTtl, "processingTtl");
            Objects.requireNonNull(attachmentRetention, "attachmentRetention");
            registries = registries.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }

        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(15), Duration.ofDays(30), Set.of());
        }

        /** The same settings, verifying only pushes to {@code hosts}. */
        public Settings onlyRegistries(Set<String> hosts) {
            return new Settings(processingTtl, attachmentRetention, hosts);
        }

        boolean verifies(String registry) {
            return registries.isEmpty() || registries.contains(registry);
        }
    }

    private final RegistryEventParser parser = new RegistryEventParser();
    private final VerificationPipeline pipeline;
    private final OciRepositories repositories;
    private final Ports ports;
    private final List<VerificationListener> listeners;
    private final Settings settings;
    private final Clock clock;
    private final JsonLog log;
    private final Metrics metrics;

    public PushHandler(VerificationPipeline pipeline, OciRepositories repositories, Ports ports, List<VerificationListener> listeners,
                       Settings settings, Clock clock, JsonLog log, Metrics metrics) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.repositories = Objects.requireNonNull(repositories, "repositories");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.listeners = List.copyOf(listeners);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The same handler logging to {@code requestLog} (a log bound to one request's id). */
    public PushHandler withLog(JsonLog requestLog) {
        return new PushHandler(pipeline, repositories, ports, listeners, settings, clock, requestLog, metrics);
    }

    /** Parses an ECR EventBridge event or a distribution envelope and handles each event in order. */
    public PushSummary handle(byte[] envelope) throws MalformedInputException {
        return handle(parser.parse(envelope));
    }

    public PushSummary handle(List<RegistryEvent> events) {
        List<PushOutcome> outcomes = new ArrayList<>(events.size());
        for (RegistryEvent event : events) {
            PushOutcome outcome = handle(event);
            outcomes.add(outcome);
            metrics.count("Events", Map.of("Function", FUNCTION, "Result", outcome.label()));
        }
        return new PushSummary(outcomes);
    }

    private PushOutcome handle(RegistryEvent event) {
        if (event instanceof RegistryEvent.Ignored ignored) {
            logOutcome(new PushOutcome.Ignored(ignored.eventId(), ignored.reason()), Map.of("source", ignored.source().label()));
            return new PushOutcome.Ignored(ignored.eventId(), ignored.reason());
        }
        PushEvent push = event instanceof RegistryEvent.ImagePushed p ? p.push() : ((RegistryEvent.AttachmentPushed) event).push();
        if (!settings.verifies(push.registry())) {
            return logOutcome(new PushOutcome.Ignored(push.eventId(), "registry " + push.registry()
                    + " is not one this deployment verifies"), Map.of("registry", push.registry()));
        }
        if (event instanceof RegistryEvent.ImagePushed pushed) {
            RegistryEvent classified = classify(pushed.push());
            if (classified instanceof RegistryEvent.Ignored ignored) {
                return logOutcome(new PushOutcome.Ignored(ignored.eventId(), ignored.reason()), Map.of("trigger", "image-pushed"));
            }
            if (classified instanceof RegistryEvent.ImagePushed image && image.push().tag() == null) {
                return logOutcome(new PushOutcome.Ignored(push.eventId(), UNTAGGED), Map.of("trigger", "image-pushed",
                        "digest", push.digest().toString()));
            }
            if (classified instanceof RegistryEvent.ImagePushed image) {
                return logOutcome(imagePushed(image.push()), Map.of("trigger", "image-pushed"));
            }
            event = classified;
        }
        RegistryEvent.AttachmentPushed attachment = (RegistryEvent.AttachmentPushed) event;
        return logOutcome(attachmentPushed(attachment), Map.of("trigger", "attachment-pushed",
                "attachment", attachment.kind().label(), "attachment_digest", attachment.push().digest().toString()));
    }

    /**
     * What a manifest pushed under an ordinary tag or by digest is: an image, an OCI referrer (its
     * {@code subject} names the image whose verdict may change; registries with the referrers API
     * keep no tag for it), or an artifact other than an image or a Helm chart, which is not
     * verified on its own. A manifest that
     * cannot be read is left to the pipeline, which reports the failure.
     */
    private RegistryEvent classify(PushEvent push) {
        Manifest manifest;
        try {
            manifest = repository(push).manifest(push.digest());
        } catch (RegistryException e) {
            return new RegistryEvent.ImagePushed(push);
        }
        if (manifest instanceof ImageManifest image && image.subject() != null) {
            return new RegistryEvent.AttachmentPushed(push, image.subject().digest(), AttachmentKind.REFERRER);
        }
        if (manifest instanceof ImageManifest image && !MediaTypes.isImageConfig(image.config().mediaType())
                && !HelmChart.CONFIG_MEDIA_TYPE.equals(image.config().mediaType())) {
            return new RegistryEvent.Ignored(push.eventId(), push.source(), "artifact " + image.artifactType()
                    + " pushed without a subject: not an image");
        }
        return new RegistryEvent.ImagePushed(push);
    }

    private PushOutcome imagePushed(PushEvent push) {
        String revision = pipeline.policy().revision();
        String reference = push.reference();
        String key = imageKey(push.registry(), push.repository(), push.digest(), revision);
        try {
            if (!ports.idempotency().claim(key, settings.processingTtl())) {
                return new PushOutcome.Duplicate(push.eventId(), reference, "being verified or just verified at policy revision " + revision);
            }
        } catch (RuntimeException e) {
            return failed(push, push.digest(), "image-pushed", null, "idempotency claim failed: " + e.getMessage());
        }
        try {
            Optional<ResultStore.VerificationResult> stored = ports.results().latest(push.digest());
            if (stored.isPresent() && stored.get().repository().equals(repositoryName(push))
                    && stored.get().policyRevision().equals(revision)) {
                return new PushOutcome.Duplicate(push.eventId(), reference,
                        "already verified at policy revision " + revision + " (" + stored.get().verifiedAt() + ")");
            }
        } catch (RuntimeException e) {
            ports.idempotency().release(key);
            return failed(push, push.digest(), "image-pushed", null, "result lookup failed: " + e.getMessage());
        }
        PushOutcome outcome = verify(push, push.digest(), "image-pushed", null);
        if (outcome instanceof PushOutcome.Failed) {
            release(key);
        }
        return outcome;
    }

    private PushOutcome attachmentPushed(RegistryEvent.AttachmentPushed attachment) {
        PushEvent push = attachment.push();
        String revision = pipeline.policy().revision();
        String reference = attachment.subjectReference();
        String key = attachmentKey(push.registry(), push.repository(), attachment.subject(), revision, push.digest());
        try {
            if (!ports.idempotency().claim(key, settings.processingTtl())) {
                return new PushOutcome.Duplicate(push.eventId(), reference,
                        attachment.kind().label() + " " + push.digest() + " already covered by a verification of its subject at policy revision "
                                + revision);
            }
        } catch (RuntimeException e) {
            return failed(push, attachment.subject(), "attachment-pushed", attachment.kind(), "idempotency claim failed: " + e.getMessage());
        }
        try {
            repository(push).resolve(attachment.subject().toString());
        } catch (RegistryException e) {
            release(key);
            if (e.kind() == RegistryException.Kind.NOT_FOUND) {
                return new PushOutcome.Ignored(push.eventId(), attachment.kind().label() + " for " + reference
                        + ", which is not in the registry yet: its own push verifies it with this attachment");
            }
            return failed(push, attachment.subject(), "attachment-pushed", attachment.kind(), e.getMessage());
        }
        PushOutcome outcome = verify(push, attachment.subject(), "attachment-pushed", attachment.kind());
        release(key);
        if (!(outcome instanceof PushOutcome.Failed)) {
            claimQuietly(key, settings.attachmentRetention());
        }
        return outcome;
    }

    /** Verifies {@code subject} in the pushed repository, then stores, announces and notifies. */
    private PushOutcome verify(PushEvent push, Digest subject, String trigger, AttachmentKind attachment) {
        String reference = push.registry() + "/" + push.repository() + "@" + subject;
        String revision = pipeline.policy().revision();
        Instant verifiedAt = clock.instant();
        List<Digest> seenAttachments = attachmentsPresent(push, subject);
        long start = System.nanoTime();
        VerificationReport report;
        try {
            report = pipeline.verify(VerificationRequest.of(ImageReference.parse(reference), "push"));
        } catch (VerificationException | RuntimeException e) {
            return failed(push, subject, trigger, attachment, "verification failed: " + e.getMessage());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Decision decision = report.decision();
        try {
            ResultStore.Report stored = storeReport(subject, report, verifiedAt);
            ports.results().put(new ResultStore.VerificationResult(repositoryName(push), subject, revision, decision.outcome(),
                    storedViolations(decision), stored, verifiedAt));
            ports.events().publish(new EventPublisher.Event(EVENT_SOURCE, IMAGE_VERIFIED,
                    verifiedDetail(push, subject, trigger, attachment, report, stored, verifiedAt)));
        } catch (RuntimeException e) {
            return failed(push, subject, trigger, attachment, "result not stored or not announced: " + e.getMessage());
        }
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("Function", FUNCTION);
        dimensions.put("Outcome", decision.outcome().name().toLowerCase(Locale.ROOT));
        metrics.emit(dimensions, List.of(Metrics.Value.count("Verifications"), Metrics.Value.millis("VerificationLatency", millis)));
        for (Digest seen : seenAttachments) {
            claimQuietly(attachmentKey(push.registry(), push.repository(), subject, revision, seen), settings.attachmentRetention());
        }
        notifyListeners(new VerifiedImage(push.registry(), push.repository(), subject,
                trigger.equals("image-pushed") ? push.tag() : null, "push", revision, report, verifiedAt));
        return new PushOutcome.Verified(push.eventId(), reference, decision.outcome(), revision, millis);
    }

    /**
     * The attachment manifests present before the pipeline looks: whatever is listed here, the
     * pipeline sees too (or something newer, whose own event then re-verifies). A lookup failure
     * only means fewer attachments are known as seen.
     */
    private List<Digest> attachmentsPresent(PushEvent push, Digest subject) {
        List<Digest> found = new ArrayList<>();
        try {
            OciRepository repository = repository(push);
            for (CosignTag kind : CosignTag.values()) {
                repository.cosignArtifact(subject, kind).map(Descriptor::digest).ifPresent(found::add);
            }
            try {
                found.add(repository.resolve(subject.tagForm()).digest());
            } catch (RegistryException e) {
                if (e.kind() != RegistryException.Kind.NOT_FOUND) {
                    throw e;
                }
            }
            repository.referrers(subject, null).stream().map(Descriptor::digest).forEach(found::add);
        } catch (RegistryException | RuntimeException e) {
            log.warn("attachment lookup failed; attachment pushes will re-verify", Map.of("reference",
                    push.registry() + "/" + push.repository() + "@" + subject, "detail", String.valueOf(e.getMessage())));
        }
        return found;
    }

    private ResultStore.Report storeReport(Digest subject, VerificationReport report, Instant verifiedAt) {
        byte[] json;
        try {
            json = UntrustedJson.mapper().writeValueAsBytes(ReportJson.toJson(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report does not serialise: " + e.getMessage(), e);
        }
        if (json.length <= ResultStore.MAX_INLINE_REPORT_BYTES) {
            return new ResultStore.InlineReport(new String(json, StandardCharsets.UTF_8));
        }
        String key = "reports/" + subject.algorithm() + "-" + subject.hex() + "/" + verifiedAt.toEpochMilli() + "-"
                + Digest.sha256(json).hex().substring(0, 12) + ".json";
        ports.blobs().put(key, json);
        return new ResultStore.StoredReport(key, Digest.sha256(json), json.length);
    }

    private static List<Violation> storedViolations(Decision decision) {
        List<Violation> all = new ArrayList<>(decision.denials());
        all.addAll(decision.warnings());
        return all.size() <= ResultStore.MAX_VIOLATIONS ? all : all.subList(0, ResultStore.MAX_VIOLATIONS);
    }

    private String verifiedDetail(PushEvent push, Digest subject, String trigger, AttachmentKind attachment, VerificationReport report,
                                  ResultStore.Report stored, Instant verifiedAt) {
        ObjectNode detail = baseDetail(push, subject, trigger, attachment);
        Decision decision = report.decision();
        detail.put("outcome", decision.outcome().name().toLowerCase(Locale.ROOT));
        detail.put("allowed", decision.allowed());
        detail.put("platform", report.platform());
        detail.put("verified_at", verifiedAt.toString());
        detail.put("denial_count", decision.denials().size());
        detail.put("warning_count", decision.warnings().size());
        ArrayNode denials = detail.putArray("denials");
        for (Violation v : decision.denials().subList(0, Math.min(MAX_EVENT_DENIALS, decision.denials().size()))) {
            denials.addObject().put("policy", v.policy()).put("severity", v.severity()).put("message", shorten(v.message(), 500));
        }
        ObjectNode reportNode = detail.putObject("report");
        if (stored instanceof ResultStore.StoredReport s) {
            reportNode.put("blob_key", s.blobKey()).put("digest", s.digest().toString()).put("size", s.size());
        } else {
            reportNode.put("inline", true);
        }
        return write(detail);
    }

    private ObjectNode baseDetail(PushEvent push, Digest subject, String trigger, AttachmentKind attachment) {
        ObjectNode detail = UntrustedJson.mapper().createObjectNode();
        detail.put("registry", push.registry());
        detail.put("repository", push.repository());
        detail.put("digest", subject.toString());
        detail.put("reference", push.registry() + "/" + push.repository() + "@" + subject);
        detail.put("tag", trigger.equals("image-pushed") ? push.tag() : null);
        detail.put("trigger", trigger);
        detail.put("attachment", attachment == null ? null : attachment.label());
        detail.put("event_id", push.eventId());
        detail.put("source", push.source().label());
        detail.put("policy_revision", pipeline.policy().revision());
        return detail;
    }

    private PushOutcome failed(PushEvent push, Digest subject, String trigger, AttachmentKind attachment, String reason) {
        String reference = push.registry() + "/" + push.repository() + "@" + subject;
        metrics.count("VerificationFailures", Map.of("Function", FUNCTION));
        try {
            ObjectNode detail = baseDetail(push, subject, trigger, attachment);
            detail.put("error", shorten(reason, 2000));
            ports.events().publish(new EventPublisher.Event(EVENT_SOURCE, VERIFICATION_FAILED, write(detail)));
        } catch (RuntimeException e) {
            log.warn("failure event not published", Map.of("reference", reference, "detail", String.valueOf(e.getMessage())));
        }
        return new PushOutcome.Failed(push.eventId(), reference, reason);
    }

    private void notifyListeners(VerifiedImage image) {
        for (VerificationListener listener : listeners) {
            try {
                listener.onVerified(image);
            } catch (Exception e) {
                String name = listener.getClass().getSimpleName();
                log.warn("verification listener failed; the verdict stands", Map.of("listener", name,
                        "reference", image.pinnedReference(), "exception", e.getClass().getName(), "detail", String.valueOf(e.getMessage())));
                metrics.count("ListenerFailures", Map.of("Function", FUNCTION, "Listener", name));
            }
        }
    }

    private PushOutcome logOutcome(PushOutcome outcome, Map<String, String> context) {
        Map<String, Object> fields = new LinkedHashMap<>(context);
        fields.put("result", outcome.label());
        fields.put("event_id", outcome.eventId());
        if (outcome instanceof PushOutcome.Verified v) {
            fields.put("reference", v.reference());
            fields.put("outcome", v.outcome().name().toLowerCase(Locale.ROOT));
            fields.put("policy_revision", v.policyRevision());
            fields.put("millis", v.millis());
        } else if (outcome instanceof PushOutcome.Duplicate d) {
            fields.put("reference", d.reference());
            fields.put("reason", d.reason());
        } else if (outcome instanceof PushOutcome.Ignored i) {
            fields.put("reason", i.reason());
        } else if (outcome instanceof PushOutcome.Failed f) {
            fields.put("reference", f.reference());
            fields.put("reason", f.reason());
        }
        log.log(outcome instanceof PushOutcome.Failed ? JsonLog.Level.ERROR : JsonLog.Level.INFO, "registry event", fields);
        return outcome;
    }

    private void release(String key) {
        try {
            ports.idempotency().release(key);
        } catch (RuntimeException e) {
            log.warn("idempotency claim not released; a redelivery within the claim's lifetime is taken as a duplicate",
                    Map.of("key", key, "detail", String.valueOf(e.getMessage())));
        }
    }

    private void claimQuietly(String key, Duration ttl) {
        try {
            ports.idempotency().claim(key, ttl);
        } catch (RuntimeException e) {
            log.warn("attachment not marked as seen; its push will re-verify", Map.of("key", key, "detail", String.valueOf(e.getMessage())));
        }
    }

    private OciRepository repository(PushEvent push) throws RegistryException {
        return repositories.open(ImageReference.parse(push.registry() + "/" + push.repository() + "@" + push.digest()));
    }

    private static String repositoryName(PushEvent push) {
        return push.registry() + "/" + push.repository();
    }

    /** The claim of an image push: {@code registry/repository@digest} at one policy revision, hashed into a store token. */
    public static String imageKey(String registry, String repository, Digest digest, String policyRevision) {
        return "push-" + Digest.sha256((registry + "/" + repository + "@" + digest + "\n" + policyRevision)
                .getBytes(StandardCharsets.UTF_8)).hex();
    }

    /** The claim of one attachment manifest of {@code subject} at one policy revision. */
    public static String attachmentKey(String registry, String repository, Digest subject, String policyRevision, Digest attachment) {
        return "attachment-" + Digest.sha256((registry + "/" + repository + "@" + subject + "\n" + policyRevision + "\n" + attachment)
                .getBytes(StandardCharsets.UTF_8)).hex();
    }

    private static String write(ObjectNode node) {
        try {
            return UntrustedJson.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shorten(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
