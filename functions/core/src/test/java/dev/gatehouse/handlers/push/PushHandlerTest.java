package dev.gatehouse.handlers.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.handlers.push.testing.RegistryEnvelopes;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.Platform;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.TestImages;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.EventPublisher;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.TestClock;
import dev.gatehouse.ports.local.InMemoryBlobStore;
import dev.gatehouse.ports.local.InMemoryIdempotencyKeys;
import dev.gatehouse.ports.local.InMemoryResultStore;
import dev.gatehouse.ports.local.RecordingEventPublisher;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.signing.CosignAttacher;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.vex.VexPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The push handler against the real distribution registry, with events produced in code. */
class PushHandlerTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(8);
    static final LocalKeySigner SIGNER = LocalKeySigner.generate("sample-publisher");

    @TempDir
    static Path trustDir;

    static VerificationPipeline pipeline;

    final TestClock clock = new TestClock(NOW);
    final InMemoryResultStore results = new InMemoryResultStore();
    final InMemoryBlobStore blobs = new InMemoryBlobStore();
    final InMemoryIdempotencyKeys keys = new InMemoryIdempotencyKeys(clock);
    final RecordingEventPublisher events = new RecordingEventPublisher(100);
    final List<VerifiedImage> notified = new CopyOnWriteArrayList<>();
    final List<String> lines = new CopyOnWriteArrayList<>();
    String repositoryPath;
    OciRepository repository;

    @BeforeAll
    static void trust() throws Exception {
        SampleTrust.write(trustDir, SIGNER);
        pipeline = new VerificationPipeline(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()),
                TrustConfig.read(trustDir.resolve(SampleTrust.TRUST_CONFIG)),
                TrustedBuilders.parse(Files.readAllBytes(trustDir.resolve(SampleTrust.TRUSTED_BUILDERS))),
                PolicyBundle.hardened(), VexPolicy.defaults(), Clock.fixed(NOW, ZoneOffset.UTC), EXECUTOR, s -> { });
    }

    @AfterAll
    static void shutdown() {
        EXECUTOR.shutdownNow();
    }

    @BeforeEach
    void repository() {
        repositoryPath = "samples/app-" + UUID.randomUUID().toString().substring(0, 8);
        repository = REGISTRY.repository(repositoryPath);
    }

    PushHandler handler(List<VerificationListener> listeners) {
        return handler(new PushHandler.Ports(results, blobs, keys, events), listeners);
    }

    PushHandler handler(PushHandler.Ports ports, List<VerificationListener> listeners) {
        return new PushHandler(pipeline, new OciRepositories(REGISTRY.credentials(), REGISTRY.options()), ports, listeners,
                PushHandler.Settings.defaults(), clock, new JsonLog(lines::add, clock), new Metrics("Gatehouse", clock, lines::add));
    }

    SampleImages.Built sample(String tag, Set<SampleDefect> defects) throws Exception {
        return new SampleImages(repository, SIGNER, NOW).build(REGISTRY.host() + "/" + repositoryPath, tag, defects);
    }

    byte[] push(Descriptor manifest, String tag) {
        return RegistryEnvelopes.distributionPush(REGISTRY.host(), repositoryPath, manifest, tag);
    }

    @Test
    void aSignedCompliantImagePushIsVerifiedStoredAnnouncedAndHandedToListeners() throws Exception {
        SampleImages.Built built = sample("v1", Set.of());
        PushHandler handler = handler(List.of(notified::add));

        PushSummary summary = handler.handle(push(built.image(), "v1"));

        assertThat(summary.outcomes()).singleElement().isInstanceOfSatisfying(PushOutcome.Verified.class, v -> {
            assertThat(v.outcome()).isEqualTo(Decision.Outcome.ALLOW);
            assertThat(v.reference()).isEqualTo(REGISTRY.host() + "/" + repositoryPath + "@" + built.image().digest());
            assertThat(v.policyRevision()).isEqualTo("hardened-2026.11.1");
        });
        ResultStore.VerificationResult stored = results.latest(built.image().digest()).orElseThrow();
        assertThat(stored.decision()).isEqualTo(Decision.Outcome.ALLOW);
        assertThat(stored.repository()).isEqualTo(REGISTRY.host() + "/" + repositoryPath);
        assertThat(stored.policyRevision()).isEqualTo("hardened-2026.11.1");
        assertThat(stored.verifiedAt()).isEqualTo(NOW);
        assertThat(stored.report()).isInstanceOfSatisfying(ResultStore.InlineReport.class,
                r -> assertThat(r.json()).contains(built.image().digest().toString()));
        EventPublisher.Event event = events.events().get(0);
        assertThat(event.source()).isEqualTo("dev.gatehouse");
        assertThat(event.detailType()).isEqualTo("Image Verified");
        JsonNode detail = UntrustedJson.parse(event.detailJson().getBytes(StandardCharsets.UTF_8), "event");
        assertThat(detail.get("outcome").asText()).isEqualTo("allow");
        assertThat(detail.get("digest").asText()).isEqualTo(built.image().digest().toString());
        assertThat(detail.get("tag").asText()).isEqualTo("v1");
        assertThat(detail.get("trigger").asText()).isEqualTo("image-pushed");
        assertThat(notified).singleElement().satisfies(image -> {
            assertThat(image.digest()).isEqualTo(built.image().digest());
            assertThat(image.trigger()).isEqualTo("push");
            assertThat(image.tag()).isEqualTo("v1");
            assertThat(image.report().decision().allowed()).isTrue();
        });
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"Verifications\":1").contains("\"Outcome\":\"allow\""));
    }

    @Test
    void aDefectiveImageIsStoredAsDenyWithItsViolations() throws Exception {
        SampleImages.Built built = sample("root", EnumSet.of(SampleDefect.ROOT_USER));

        handler(List.of()).handle(push(built.image(), "root"));

        ResultStore.VerificationResult stored = results.latest(built.image().digest()).orElseThrow();
        assertThat(stored.decision()).isEqualTo(Decision.Outcome.DENY);
        assertThat(stored.violations()).extracting(v -> v.policy()).contains("GH-NONROOT");
    }

    @Test
    void aReplayedEventIsADuplicateWhileClaimedAndAfterTheClaimExpired() throws Exception {
        SampleImages.Built built = sample("v1", Set.of());
        PushHandler handler = handler(List.of(notified::add));
        byte[] envelope = push(built.image(), "v1");
        handler.handle(envelope);

        assertThat(handler.handle(envelope).outcomes()).singleElement().isInstanceOf(PushOutcome.Duplicate.class);
        clock.advance(Duration.ofHours(1));
        assertThat(handler.handle(push(built.image(), "another-tag")).outcomes()).singleElement()
                .isInstanceOfSatisfying(PushOutcome.Duplicate.class, d -> assertThat(d.reason()).contains("already verified"));
        assertThat(notified).hasSize(1);
    }

    @Test
    void anAttachmentTheVerificationAlreadySawDoesNotVerifyAgain() throws Exception {
        SampleImages.Built built = sample("v1", Set.of());
        PushHandler handler = handler(List.of(notified::add));
        handler.handle(push(built.image(), "v1"));
        Descriptor signatures = repository.cosignArtifact(built.image().digest(), CosignTag.SIGNATURE).orElseThrow();

        PushSummary summary = handler.handle(push(signatures, CosignTag.SIGNATURE.tagFor(built.image().digest())));

        assertThat(summary.outcomes()).singleElement().isInstanceOfSatisfying(PushOutcome.Duplicate.class,
                d -> assertThat(d.reason()).contains("already covered"));
        assertThat(notified).hasSize(1);
    }

    @Test
    void aNewSignatureReVerifiesItsSubjectOnceAndTheVerdictChanges() throws Exception {
        SampleImages.Built built = sample("v1", EnumSet.of(SampleDefect.UNSIGNED));
        PushHandler handler = handler(List.of(notified::add));
        handler.handle(push(built.image(), "v1"));
        assertThat(results.latest(built.image().digest()).orElseThrow().decision()).isEqualTo(Decision.Outcome.DENY);

        clock.advance(Duration.ofSeconds(5));
        Descriptor signatures = new CosignAttacher(repository).attachSignature(built.image().digest(),
                REGISTRY.host() + "/" + repositoryPath, SIGNER);
        byte[] signaturePush = push(signatures, CosignTag.SIGNATURE.tagFor(built.image().digest()));
        PushSummary summary = handler.handle(signaturePush);

        assertThat(summary.outcomes()).singleElement().isInstanceOfSatisfying(PushOutcome.Verified.class,
                v -> assertThat(v.reference()).endsWith("@" + built.image().digest()));
        assertThat(results.latest(built.image().digest()).orElseThrow().decision()).isEqualTo(Decision.Outcome.ALLOW);
        assertThat(handler.handle(signaturePush).outcomes()).singleElement().isInstanceOf(PushOutcome.Duplicate.class);
        assertThat(notified).hasSize(2);
        assertThat(notified.get(1).tag()).isNull();
    }

    @Test
    void aReferrerPushedByDigestReVerifiesItsSubjectOnce() throws Exception {
        SampleImages.Built built = sample("v1", Set.of());
        PushHandler handler = handler(List.of(notified::add));
        handler.handle(push(built.image(), "v1"));

        clock.advance(Duration.ofSeconds(5));
        Descriptor referrer = new CosignAttacher(repository).attachStatementReferrer(built.image(), REGISTRY.host() + "/" + repositoryPath,
                "https://example.com/review/v1", UntrustedJson.mapper().createObjectNode().put("reviewed", true));
        byte[] referrerPush = push(referrer, null);
        PushSummary summary = handler.handle(referrerPush);

        assertThat(summary.outcomes()).singleElement().isInstanceOfSatisfying(PushOutcome.Verified.class,
                v -> assertThat(v.reference()).endsWith("@" + built.image().digest()));
        assertThat(handler.handle(referrerPush).outcomes()).singleElement().isInstanceOf(PushOutcome.Duplicate.class);
        assertThat(notified).hasSize(2);
    }

    @Test
    void aMultiPlatformPushIsVerifiedOnceThroughItsIndexWithTheEvidenceAttachedToTheIndex() throws Exception {
        TestImages.TestIndex multiArch = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"));
        Descriptor index = multiArch.pushTo(repository, "v1");
        new CosignAttacher(repository).attachSignature(index.digest(), REGISTRY.host() + "/" + repositoryPath, SIGNER);
        PushHandler handler = handler(List.of(notified::add));

        // The order a client pushes in, and the registry announces: each platform manifest by digest, then the tagged index.
        for (TestImages.TestImage platform : multiArch.images()) {
            assertThat(handler.handle(push(platform.descriptor(), null)).outcomes()).singleElement()
                    .isInstanceOfSatisfying(PushOutcome.Ignored.class, i -> assertThat(i.reason()).isEqualTo(PushHandler.UNTAGGED));
            assertThat(results.latest(platform.manifest().digest())).isEmpty();
        }
        PushSummary summary = handler.handle(push(index, "v1"));

        assertThat(summary.outcomes()).singleElement().isInstanceOfSatisfying(PushOutcome.Verified.class,
                v -> assertThat(v.reference()).endsWith("@" + index.digest()));
        ResultStore.VerificationResult stored = results.latest(index.digest()).orElseThrow();
        assertThat(stored.violations()).extracting(Violation::policy).doesNotContain("GH-SIGNED");
        assertThat(notified).singleElement().satisfies(image -> assertThat(image.digest()).isEqualTo(index.digest()));
    }

    @Test
    void anArtifactWithoutASubjectIsNotVerifiedAsAnImage() throws Exception {
        Descriptor config = repository.putBlob("{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_EMPTY);
        Descriptor layer = repository.putBlob("chart".getBytes(StandardCharsets.UTF_8), "application/vnd.example.chart.layer");
        Descriptor artifact = repository.putManifest(dev.gatehouse.oci.ImageManifest.build("application/vnd.example.chart", config,
                List.of(layer), null, java.util.Map.of()), "chart");

        PushSummary summary = handler(List.of()).handle(push(artifact, "chart"));

        assertThat(summary.outcomes()).singleElement().isInstanceOfSatisfying(PushOutcome.Ignored.class,
                i -> assertThat(i.reason()).isEqualTo("artifact application/vnd.example.chart pushed without a subject: not an image"));
    }

    @Test
    void anAttachmentWhoseSubjectIsNotPushedYetIsIgnored() throws Exception {
        Digest absent = Digest.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        Descriptor signatures = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256("sig".getBytes(StandardCharsets.UTF_8)), 300, null, null, null);

        PushSummary summary = handler(List.of()).handle(push(signatures, CosignTag.SIGNATURE.tagFor(absent)));

        assertThat(summary.outcomes()).singleElement().isInstanceOfSatisfying(PushOutcome.Ignored.class,
                i -> assertThat(i.reason()).contains("not in the registry yet"));
    }

    @Test
    void aPipelineFailureIsRecordedAsAnErrorNeverAsAVerdictAndARedeliveryRetries() throws Exception {
        Descriptor missing = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)),
                300, null, null, null);
        PushHandler handler = handler(List.of(notified::add));
        byte[] envelope = push(missing, "v1");

        PushSummary first = handler.handle(envelope);

        assertThat(first.anyFailed()).isTrue();
        assertThat(first.outcomes()).singleElement().isInstanceOfSatisfying(PushOutcome.Failed.class,
                f -> assertThat(f.reason()).startsWith("verification failed: "));
        assertThat(results.latest(missing.digest())).isEmpty();
        assertThat(events.events()).singleElement().satisfies(e -> assertThat(e.detailType()).isEqualTo("Image Verification Failed"));
        assertThat(handler.handle(envelope).outcomes()).singleElement().isInstanceOf(PushOutcome.Failed.class);
        assertThat(notified).isEmpty();
    }

    @Test
    void aStoreFailureFailsTheEventAndReleasesTheClaim() throws Exception {
        SampleImages.Built built = sample("v1", Set.of());
        ResultStore failing = new ResultStore() {
            @Override
            public void put(VerificationResult result) {
                throw new StoreException("ResultStore.put", "table unavailable");
            }

            @Override
            public Optional<VerificationResult> latest(Digest digest) {
                return Optional.empty();
            }

            @Override
            public List<VerificationResult> latestInRepository(String repository, int limit) {
                return List.of();
            }
        };
        byte[] envelope = push(built.image(), "v1");

        assertThat(handler(new PushHandler.Ports(failing, blobs, keys, events), List.of()).handle(envelope).outcomes()).singleElement()
                .isInstanceOfSatisfying(PushOutcome.Failed.class, f -> assertThat(f.reason()).contains("table unavailable"));
        assertThat(handler(List.of()).handle(envelope).outcomes()).singleElement().isInstanceOf(PushOutcome.Verified.class);
    }

    @Test
    void aFailingListenerIsLoggedAndCountedAndTheVerdictStands() throws Exception {
        SampleImages.Built built = sample("v1", Set.of());
        List<String> calls = new ArrayList<>();
        VerificationListener broken = image -> {
            throw new IllegalStateException("graph table unavailable");
        };

        PushSummary summary = handler(List.of(broken, image -> calls.add("after"))).handle(push(built.image(), "v1"));

        assertThat(summary.outcomes()).singleElement().isInstanceOf(PushOutcome.Verified.class);
        assertThat(calls).containsExactly("after");
        assertThat(results.latest(built.image().digest()).orElseThrow().decision()).isEqualTo(Decision.Outcome.ALLOW);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("verification listener failed").contains("graph table unavailable"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"ListenerFailures\":1"));
    }

    @Test
    void nonPushEventsAreIgnoredWithTheirReasonAndAMalformedEnvelopeIsRefused() throws Exception {
        String pull = "{\"events\":[{\"id\":\"p1\",\"action\":\"pull\",\"target\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}}]}";

        PushSummary summary = handler(List.of()).handle(pull.getBytes(StandardCharsets.UTF_8));

        assertThat(summary.outcomes()).singleElement().isInstanceOfSatisfying(PushOutcome.Ignored.class,
                i -> assertThat(i.reason()).isEqualTo("action pull is not a push"));
        assertThat(summary.toJson().get("ignored").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> handler(List.of()).handle("{\"events\": 3}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("/events");
    }
}
