package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.handlers.admission.AdmissionConfig;
import dev.gatehouse.handlers.admission.AdmissionHandler;
import dev.gatehouse.handlers.admission.AdmissionOutcome;
import dev.gatehouse.handlers.admission.AdmissionReviews;
import dev.gatehouse.handlers.admission.FastPath;
import dev.gatehouse.handlers.admission.ImageVerdict;
import dev.gatehouse.handlers.push.PushHandler;
import dev.gatehouse.handlers.push.PushOutcome;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.NotificationWebhook;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.ports.local.InMemoryBlobStore;
import dev.gatehouse.ports.local.InMemoryIdempotencyKeys;
import dev.gatehouse.ports.local.InMemoryResultStore;
import dev.gatehouse.ports.local.InMemoryVerdictCache;
import dev.gatehouse.ports.local.RecordingEventPublisher;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.vex.VexPolicy;
import dev.gatehouse.vsa.VerificationSummary;
import dev.gatehouse.vsa.VsaEmitter;
import dev.gatehouse.vsa.VsaFastPath;
import dev.gatehouse.vsa.VsaPublisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push path end to end: an image pushed to the real distribution registry, whose notification
 * webhook feeds the push handler with the VSA emitter as its listener; the VSA the handler attaches
 * verifies with {@code gatehouse verify-vsa} and the key {@code gatehouse keys export} prints, and
 * a tampered copy does not. The registry also announces the VSA's own pushes: they must settle
 * instead of re-verifying forever. Admission of the image is then decided by the VSA (fast path).
 */
class VsaEndToEndTest {

    private static final NotificationWebhook WEBHOOK = NotificationWebhook.start();
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final String VERIFIER = "https://gatehouse.test/verifier";

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous()
            .withNotifications(WEBHOOK::uri);

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newFixedThreadPool(4);


    @AfterAll
    static void stopWebhook() {
        WEBHOOK.close();
    }

    /** A sample image pushed to the registry and its events delivered to the push handler until they settle. */
    private record Pushed(String repositoryPath, OciRepository repository, Digest image, LocalKeySigner gatehouse, Path gatehouseKey,
                          VerificationPipeline pipeline, OciRepositories repositories, Digest trust, List<PushOutcome> outcomes) {}

    private Pushed pushAndSettle(String repositoryPath) throws Exception {
        LocalKeySigner publisher = LocalKeySigner.generate("sample-publisher");
        SampleTrust.write(dir, publisher);
        Path gatehouseKey = dir.resolve("gatehouse.key");
        LocalKeySigner gatehouse = LocalKeySigner.generate(null);
        Files.writeString(gatehouseKey, gatehouse.privateKeyPem());

        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        OciRepositories repositories = new OciRepositories(REGISTRY.credentials(), REGISTRY.options());
        Path trustFile = dir.resolve(SampleTrust.TRUST_CONFIG);
        Digest trust = Digest.sha256(Files.readAllBytes(trustFile));
        PolicyBundle policy = PolicyBundle.hardened();
        VerificationPipeline pipeline = new VerificationPipeline(repositories, TrustConfig.read(trustFile),
                TrustedBuilders.parse(Files.readAllBytes(dir.resolve(SampleTrust.TRUSTED_BUILDERS))), policy, VexPolicy.defaults(),
                clock, executor, s -> { });
        InMemoryIdempotencyKeys keys = new InMemoryIdempotencyKeys(clock);
        VsaEmitter emitter = new VsaEmitter(repositories, new VsaPublisher(LocalKeySigner.fromPem(gatehouseKey, null)),
                new VsaEmitter.Settings(VERIFIER, Map.of("gatehouse", "test"), trust,
                        revision -> VsaEmitter.policyResource("embedded:hardened", policy.digest())), keys);
        List<String> log = new CopyOnWriteArrayList<>();
        PushHandler handler = new PushHandler(pipeline, repositories,
                new PushHandler.Ports(new InMemoryResultStore(), new InMemoryBlobStore(), keys, new RecordingEventPublisher(1000)),
                List.of(emitter), PushHandler.Settings.defaults(), clock, new JsonLog(log::add, clock), new Metrics("Gatehouse", clock, log::add));

        OciRepository repository = REGISTRY.repository(repositoryPath);
        Descriptor image = new SampleImages(repository, publisher, NOW).build(REGISTRY.host() + "/" + repositoryPath, "v1", Set.of()).image();

        // Deliver the registry's events to the push handler, as serve or the Lambda would, until only
        // ignorable events (pulls, blob pushes, duplicates) remain.
        List<PushOutcome> outcomes = new ArrayList<>();
        boolean settled = WEBHOOK.drain(envelope -> {
            List<PushOutcome> handled = handler.handle(envelope).outcomes();
            outcomes.addAll(handled);
            return handled.stream().anyMatch(o -> o instanceof PushOutcome.Verified || o instanceof PushOutcome.Failed);
        }, Duration.ofSeconds(6), Duration.ofSeconds(90));
        assertThat(settled).as("the VSA pushes did not settle: " + outcomes).isTrue();
        return new Pushed(repositoryPath, repository, image.digest(), gatehouse, gatehouseKey, pipeline, repositories, trust, outcomes);
    }

    private static AdmissionHandler admission(Pushed pushed, FastPath fastPath, VerdictCache cache) {
        return new AdmissionHandler(AdmissionConfig.defaults(), pushed.pipeline(), pushed.repositories(), cache, fastPath, pushed.trust(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static VsaFastPath fastPath(Pushed pushed) {
        return new VsaFastPath(pushed.repositories(), new VsaFastPath.Settings(VERIFIER, pushed.gatehouse().publicKey(),
                pushed.gatehouse().keyId(), Duration.ofHours(24)), Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
    }

    private static byte[] podReview(Pushed pushed) {
        return AdmissionReviews.bytes(AdmissionReviews.pod("default",
                AdmissionReviews.Container.app("app", REGISTRY.host() + "/" + pushed.repositoryPath() + ":v1")));
    }

    @Test
    void pushedImageGetsAVsaThatVerifiesWithTheExportedKeyAndTamperingFails() throws Exception {
        Pushed pushed = pushAndSettle("e2e/vsa-app");
        List<PushOutcome> outcomes = pushed.outcomes();
        long verifications = outcomes.stream().filter(o -> o instanceof PushOutcome.Verified).count();
        assertThat(verifications).as(outcomes.toString()).isBetween(1L, 8L);
        assertThat(outcomes).noneMatch(o -> o instanceof PushOutcome.Failed);
        byte[] envelope = passedVsa(pushed.repository(), pushed.image()).orElseThrow(() -> new AssertionError("no PASSED VSA; " + outcomes));

        CliRun export = CliRun.of("keys", "export", "--key", pushed.gatehouseKey().toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        Path publicKey = Files.writeString(dir.resolve("gatehouse.pub"), export.out());
        Path vsa = Files.write(dir.resolve("vsa.json"), envelope);
        String resource = VsaEmitter.resourceUri(REGISTRY.host(), pushed.repositoryPath());
        String keyId = pushed.gatehouse().keyId();
        CliRun verified = verifyVsa(vsa, publicKey, keyId, pushed.image(), resource);
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("PASSED");

        ObjectNode tampered = (ObjectNode) UntrustedJson.mapper().readTree(envelope);
        String payload = new String(Base64.getDecoder().decode(tampered.get("payload").asText()), StandardCharsets.UTF_8);
        tampered.put("payload", Base64.getEncoder().encodeToString(payload.replace(pushed.repositoryPath(), "e2e/other-app")
                .getBytes(StandardCharsets.UTF_8)));
        Path tamperedFile = Files.write(dir.resolve("tampered.json"), UntrustedJson.mapper().writeValueAsBytes(tampered));
        CliRun rejected = verifyVsa(tamperedFile, publicKey, keyId, pushed.image(), resource);
        assertThat(rejected.exitCode()).isEqualTo(VerifyVsaCommand.EXIT_NOT_VERIFIED);
        assertThat(rejected.firstErrorLine()).contains("(ErrorNoValidSignature)");

        CliRun otherImage = verifyVsa(vsa, publicKey, keyId, Digest.sha256(new byte[] {1}), resource);
        assertThat(otherImage.firstErrorLine()).contains("(ErrorMissingSubjectDigest)");

        // Admission of the same image: decided by the VSA, with one signature check.
        try (AdmissionHandler handler = admission(pushed, fastPath(pushed), new InMemoryVerdictCache(Clock.systemUTC()))) {
            AdmissionOutcome outcome = handler.validate(podReview(pushed));
            assertThat(outcome.response().allowed()).isTrue();
            assertThat(outcome.images()).singleElement().extracting(AdmissionOutcome.CheckedImage::verdict)
                    .isInstanceOfSatisfying(ImageVerdict.Decided.class, d -> assertThat(d.source()).isEqualTo(ImageVerdict.Source.FAST_PATH));
        }
        executor.shutdownNow();
    }

    /**
     * Admission with a VSA hit side by side with the full pipeline (verdict cache disabled, so every
     * request takes one of the two paths), on the real registry. A benchmark: it prints figures and
     * asserts none; run with {@code -Dgatehouse.bench=true}.
     */
    @Test
    void admissionWithAVsaHitSideBySideWithTheFullPipeline() throws Exception {
        assumeTrue(Boolean.getBoolean("gatehouse.bench"), "benchmark: run with -Dgatehouse.bench=true");
        Pushed pushed = pushAndSettle("bench/vsa-app");
        assertThat(passedVsa(pushed.repository(), pushed.image())).isPresent();
        VerdictCache never = new VerdictCache() {
            @Override
            public Optional<Verdict> get(Key key) {
                return Optional.empty();
            }

            @Override
            public void put(Key key, Verdict verdict, Duration ttl) {
            }
        };
        int rounds = Integer.getInteger("gatehouse.bench.rounds", 200);
        byte[] review = podReview(pushed);
        try (AdmissionHandler fast = admission(pushed, fastPath(pushed), never);
             AdmissionHandler full = admission(pushed, FastPath.NONE, never)) {
            long[] fastNanos = time(fast, review, rounds);
            long[] fullNanos = time(full, review, rounds);
            System.out.printf("admission of one pod image, %d rounds after %d warm-up, verdict cache off (JDK %s)%n", rounds, rounds / 5,
                    Runtime.version());
            System.out.printf("%-22s %10s %10s %10s %10s%n", "path", "p50 ms", "p90 ms", "p99 ms", "per s");
            print("VSA fast path", fastNanos);
            print("full pipeline", fullNanos);
            System.out.printf("ratio (pipeline p50 / fast path p50): %.1fx%n", (double) fullNanos[fullNanos.length / 2] / fastNanos[fastNanos.length / 2]);
        }
        executor.shutdownNow();
    }

    private static long[] time(AdmissionHandler handler, byte[] review, int rounds) throws Exception {
        for (int i = 0; i < rounds / 5; i++) {
            assertThat(handler.validate(review).response().allowed()).isTrue();
        }
        long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            handler.validate(review);
            nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        return nanos;
    }

    private static void print(String name, long[] sorted) {
        double total = java.util.Arrays.stream(sorted).sum() / 1e9;
        System.out.printf("%-22s %10.2f %10.2f %10.2f %10.0f%n", name, sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 9 / 10] / 1e6,
                sorted[Math.min(sorted.length - 1, sorted.length * 99 / 100)] / 1e6, sorted.length / total);
    }

    private static CliRun verifyVsa(Path vsa, Path publicKey, String keyId, Digest digest, String resource) {
        return CliRun.of("verify-vsa", "--attestation-path", vsa.toString(), "--public-key-path", publicKey.toString(),
                "--public-key-id", keyId, "--subject-digest", digest.toString(), "--verifier-id", VERIFIER,
                "--resource-uri", resource, "--verified-level", "SLSA_BUILD_LEVEL_1");
    }

    /** The envelope of the PASSED Gatehouse VSA in the image's .att manifest, if there is one. */
    private static Optional<byte[]> passedVsa(OciRepository repository, Digest image) throws Exception {
        Optional<Descriptor> att = repository.cosignArtifact(image, CosignTag.ATTESTATION);
        if (att.isEmpty()) {
            return Optional.empty();
        }
        for (Descriptor layer : ((ImageManifest) repository.manifest(att.get())).layers()) {
            if (VERIFIER.equals(layer.annotation(VsaPublisher.VERIFIER_ANNOTATION))) {
                byte[] envelope = repository.blob(layer.digest(), 1 << 20);
                String payload = new String(Base64.getDecoder().decode(UntrustedJson.mapper().readTree(envelope).get("payload").asText()),
                        StandardCharsets.UTF_8);
                if (payload.contains("\"verificationResult\":\"PASSED\"") && payload.contains(VerificationSummary.PREDICATE_TYPE)) {
                    return Optional.of(envelope);
                }
            }
        }
        return Optional.empty();
    }
}
