package dev.gatehouse.handlers.admission;

import static dev.gatehouse.handlers.admission.AdmissionReviews.Container.app;
import static dev.gatehouse.handlers.admission.AdmissionReviews.Container.ephemeral;
import static dev.gatehouse.handlers.admission.AdmissionReviews.Container.init;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.handlers.admission.AdmissionOutcome.CheckedImage;
import dev.gatehouse.handlers.admission.ImageVerdict.Decided;
import dev.gatehouse.handlers.admission.ImageVerdict.Source;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryClient;
import dev.gatehouse.oci.testing.FaultProxy;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.ports.RegistryCredentials;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.ports.local.InMemoryVerdictCache;
import dev.gatehouse.rego.bundle.BundleVerification;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admission handler against the real distribution registry holding signed sample images and
 * the hardened policy. No Kubernetes API server runs here: the reviews are built in code in the
 * documented AdmissionReview v1 wire format, and responses are checked against it.
 */
class AdmissionHandlerTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    static Path dir;

    static AdmissionFixture fixture;

    @BeforeAll
    static void pushSamples() throws Exception {
        fixture = AdmissionFixture.create(REGISTRY, dir);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    /** Records every digest the fast path is asked about: one call per verification the cache did not answer. */
    static final class CountingFastPath implements FastPath {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Override
        public Optional<VerdictCache.Verdict> decide(dev.gatehouse.oci.ImageReference pinnedImage, VerdictCache.Key key) {
            asked.add(pinnedImage.toString());
            return Optional.empty();
        }
    }

    /** Only the deadline tests may depend on how loaded the machine is: the others get the longest deadline. */
    private static final AdmissionConfig DEFAULTS = AdmissionFixture.patientDefaults();

    private static AdmissionConfig config(String yaml) throws Exception {
        AdmissionConfig config = AdmissionConfig.parse(yaml.getBytes(StandardCharsets.UTF_8), "test");
        return yaml.contains("deadline") ? config : config.withDeadline(DEFAULTS.deadline());
    }

    private static AdmissionHandler handler(AdmissionConfig config) throws Exception {
        return fixture.handler(config, new InMemoryVerdictCache(AdmissionFixture.clock()), FastPath.NONE);
    }

    private static AdmissionOutcome validate(AdmissionHandler handler, ObjectNode review) throws Exception {
        return handler.validate(AdmissionReviews.bytes(review));
    }

    private static List<Source> sources(AdmissionOutcome outcome) {
        return outcome.images().stream().map(CheckedImage::verdict)
                .map(v -> v instanceof Decided d ? d.source() : null).toList();
    }

    @Test
    void signedCompliantImageIsAllowedAndTheUidEchoed() throws Exception {
        try (AdmissionHandler handler = handler(DEFAULTS)) {
            ObjectNode review = AdmissionReviews.pod("prod", app("web", fixture.image("compliant")));
            AdmissionOutcome outcome = validate(handler, review);
            JsonNode json = outcome.response().toJson();
            assertThat(json.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
            assertThat(json.get("kind").asText()).isEqualTo("AdmissionReview");
            assertThat(json.at("/response/uid").asText()).isEqualTo(review.at("/request/uid").asText());
            assertThat(json.at("/response/allowed").asBoolean()).isTrue();
            assertThat(json.at("/response/status").isMissingNode()).isTrue();
            assertThat(json.at("/response/patch").isMissingNode()).isTrue();
            assertThat(json.at("/response/warnings").isMissingNode()).isTrue();
            assertThat(outcome.images()).singleElement().satisfies(i -> assertThat(i.verdict()).isInstanceOfSatisfying(Decided.class,
                    d -> assertThat(d.pinned().digest()).isEqualTo(fixture.digest("compliant"))));
        }
    }

    @Test
    void eachOffendingImageGetsItsOwnLineInTheDenial() throws Exception {
        try (AdmissionHandler handler = handler(DEFAULTS)) {
            AdmissionOutcome outcome = validate(handler, AdmissionReviews.pod("prod",
                    app("web", fixture.image("compliant")), app("worker", fixture.image("root")),
                    init("setup", fixture.image("unsigned"))));
            JsonNode json = outcome.response().toJson();
            assertThat(json.at("/response/allowed").asBoolean()).isFalse();
            assertThat(json.at("/response/status/code").asInt()).isEqualTo(403);
            assertThat(json.at("/response/status/reason").asText()).isEqualTo("Forbidden");
            List<String> lines = json.at("/response/status/message").asText().lines().toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).startsWith(fixture.image("root") + " (worker): ").contains("GH-NONROOT");
            assertThat(lines.get(1)).startsWith(fixture.image("unsigned") + " (setup): ").contains("GH-SIGNED");
            assertThat(json.at("/response/status/message").asText()).doesNotContain(fixture.image("compliant"));
            assertThat(json.at("/response/patch").isMissingNode()).isTrue();
        }
    }

    @Test
    void podTemplatesOfEveryWorkloadKindAndAllContainerKindsAreChecked() throws Exception {
        try (AdmissionHandler handler = handler(DEFAULTS)) {
            String bad = fixture.image("unsigned");
            String good = fixture.image("compliant");
            List<ObjectNode> denied = List.of(
                    AdmissionReviews.workload("apps", "Deployment", "prod", app("a", good), init("i", bad)),
                    AdmissionReviews.workload("apps", "StatefulSet", "prod", app("a", bad)),
                    AdmissionReviews.workload("apps", "DaemonSet", "prod", app("a", bad)),
                    AdmissionReviews.workload("apps", "ReplicaSet", "prod", app("a", bad)),
                    AdmissionReviews.workload("batch", "Job", "prod", app("a", bad)),
                    AdmissionReviews.cronJob("prod", app("a", bad)),
                    AdmissionReviews.pod("prod", app("a", good), ephemeral("debug", bad)));
            for (ObjectNode review : denied) {
                AdmissionOutcome outcome = validate(handler, review);
                assertThat(outcome.response().allowed()).as(review.at("/request/kind/kind").asText()).isFalse();
                assertThat(outcome.response().message()).contains(bad);
            }
            assertThat(validate(handler, AdmissionReviews.cronJob("prod", app("a", good))).response().allowed()).isTrue();
        }
    }

    @Test
    void kubectlDebugOnThePodsEphemeralContainersSubresourceIsChecked() throws Exception {
        try (AdmissionHandler handler = handler(DEFAULTS)) {
            ObjectNode review = AdmissionReviews.withOperation(AdmissionReviews.pod("prod", app("web", fixture.image("compliant")),
                    ephemeral("debugger-x7k", fixture.image("unsigned"))), "UPDATE");
            ObjectNode request = (ObjectNode) review.get("request");
            request.put("subResource", "ephemeralcontainers");
            request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
            AdmissionOutcome outcome = validate(handler, review);
            assertThat(outcome.response().allowed()).isFalse();
            assertThat(outcome.response().message()).startsWith(fixture.image("unsigned") + " (debugger-x7k): ").contains("GH-SIGNED")
                    .doesNotContain("\n");
        }
    }

    @Test
    void deleteConnectAndKindsWithoutPodsAreAllowedUnchecked() throws Exception {
        try (AdmissionHandler handler = handler(DEFAULTS)) {
            ObjectNode pod = AdmissionReviews.pod("prod", app("a", fixture.image("unsigned")));
            assertThat(validate(handler, AdmissionReviews.withOperation(pod, "DELETE")).response().allowed()).isTrue();
            assertThat(validate(handler, AdmissionReviews.withOperation(pod, "CONNECT")).response().allowed()).isTrue();
            ObjectNode configMap = AdmissionReviews.review("", "v1", "ConfigMap", "CREATE", "prod",
                    (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"data\":{\"image\":\"x:1\"}}"));
            AdmissionOutcome outcome = validate(handler, configMap);
            assertThat(outcome.response().allowed()).isTrue();
            assertThat(outcome.images()).isEmpty();
            assertThat(validate(handler, AdmissionReviews.withOperation(pod, "UPDATE")).response().allowed()).isFalse();
        }
    }

    @Test
    void warnLevelViolationsBecomeKubernetesWarnings() throws Exception {
        PolicyBundle policy = PolicyBundle.fromFiles("test", Map.of("main.rego", """
                package gatehouse.main

                deny contains {"policy": "T-SIGNED", "severity": "critical", "message": "no verified signature"} if {
                	count(input.signatures) == 0
                }

                warn contains {"policy": "T-ROOT", "severity": "low", "message": "runs as root"} if {
                	object.get(input.image.config, "user", "") == ""
                }

                decision := {"allow": count(deny) == 0, "deny": deny, "warn": warn}
                """.getBytes(StandardCharsets.UTF_8)), BundleVerification.NONE, null);
        try (AdmissionHandler handler = new AdmissionHandler(DEFAULTS, fixture.pipeline(policy),
                fixture.repositories(), new InMemoryVerdictCache(AdmissionFixture.clock()), FastPath.NONE,
                fixture.trustConfigurationDigest(), AdmissionFixture.clock())) {
            AdmissionOutcome outcome = validate(handler, AdmissionReviews.pod("prod", app("a", fixture.image("root"))));
            assertThat(outcome.response().allowed()).isTrue();
            assertThat(outcome.response().toJson().at("/response/warnings").get(0).asText())
                    .isEqualTo(fixture.image("root") + ": T-ROOT: runs as root");
        }
    }

    @Test
    void aPolicyWarningWithLineBreaksBecomesOneEscapedLineWithinTheWarningLimit() throws Exception {
        PolicyBundle policy = PolicyBundle.fromFiles("test", Map.of("main.rego", """
                package gatehouse.main

                warn contains {"policy": "T-LONG", "severity": "low", "message": concat("", ["first\\nforged: line ", x])} if {
                	x := concat("", [s | some i in numbers.range(1, 300); s := "x"])
                }

                decision := {"allow": true, "deny": set(), "warn": warn}
                """.getBytes(StandardCharsets.UTF_8)), BundleVerification.NONE, null);
        try (AdmissionHandler handler = new AdmissionHandler(DEFAULTS, fixture.pipeline(policy),
                fixture.repositories(), new InMemoryVerdictCache(AdmissionFixture.clock()), FastPath.NONE,
                fixture.trustConfigurationDigest(), AdmissionFixture.clock())) {
            AdmissionOutcome outcome = validate(handler, AdmissionReviews.pod("prod", app("a", fixture.image("root"))));
            String warning = outcome.response().toJson().at("/response/warnings").get(0).asText();
            assertThat(warning).startsWith(fixture.image("root") + ": T-LONG: first\\nforged: line xxx").endsWith("...")
                    .doesNotContain("\n").hasSize(AdmissionHandler.MAX_WARNING_CHARS);
        }
    }

    @Test
    void warnModeAdmitsWithWarningsAndAnAuditAnnotation() throws Exception {
        try (AdmissionHandler handler = handler(config("""
                mode: enforce
                namespaces:
                  - match: ["team-*"]
                    mode: warn
                """))) {
            AdmissionOutcome outcome = validate(handler, AdmissionReviews.pod("team-a", app("a", fixture.image("unsigned"))));
            assertThat(outcome.mode()).isEqualTo(AdmissionMode.WARN);
            JsonNode response = outcome.response().toJson().get("response");
            assertThat(response.get("allowed").asBoolean()).isTrue();
            assertThat(response.get("warnings").get(0).asText()).startsWith(fixture.image("unsigned") + ": would be denied: GH-SIGNED");
            assertThat(response.at("/auditAnnotations/would-deny").asText()).contains(fixture.image("unsigned"));
            assertThat(response.get("warnings")).allSatisfy(w -> assertThat(w.asText()).hasSizeLessThanOrEqualTo(256).doesNotContain("\n"));
            assertThat(validate(handler, AdmissionReviews.pod("prod", app("a", fixture.image("unsigned")))).response().allowed()).isFalse();
        }
    }

    @Test
    void auditModeAdmitsSilentlyAndRecordsOnlyInTheAuditLog() throws Exception {
        try (AdmissionHandler handler = handler(config("mode: audit"))) {
            JsonNode response = validate(handler, AdmissionReviews.pod("prod", app("a", fixture.image("root"))))
                    .response().toJson().get("response");
            assertThat(response.get("allowed").asBoolean()).isTrue();
            assertThat(response.has("warnings")).isFalse();
            assertThat(response.at("/auditAnnotations/would-deny").asText()).contains("GH-NONROOT");
        }
    }

    @Test
    void exemptNamespacesAndImagesAreNotChecked() throws Exception {
        try (AdmissionHandler handler = handler(config("""
                exempt:
                  namespaces: ["kube-*"]
                  images: ["%s/vendor/**"]
                """.formatted(REGISTRY.host())))) {
            AdmissionOutcome namespace = validate(handler, AdmissionReviews.pod("kube-system", app("a", fixture.image("unsigned"))));
            assertThat(namespace.response().allowed()).isTrue();
            assertThat(namespace.images()).isEmpty();
            // The exempt repository does not even exist: it is never looked up.
            AdmissionOutcome image = handler.mutate(AdmissionReviews.bytes(AdmissionReviews.pod("prod",
                    app("a", REGISTRY.host() + "/vendor/agent/x:1"), app("b", fixture.image("compliant")))));
            assertThat(image.response().allowed()).isTrue();
            assertThat(image.images().get(0).verdict()).isEqualTo(new ImageVerdict.Exempt(REGISTRY.host() + "/vendor/**"));
            assertThat(image.response().imagePatches()).containsOnlyKeys("/spec/containers/1/image");
        }
    }

    @Test
    void allowVerdictsAreCachedDenialsOnlyWhenConfigured() throws Exception {
        CountingFastPath counting = new CountingFastPath();
        InMemoryVerdictCache cache = new InMemoryVerdictCache(AdmissionFixture.clock());
        try (AdmissionHandler handler = fixture.handler(DEFAULTS, cache, counting)) {
            ObjectNode review = AdmissionReviews.pod("prod", app("a", fixture.image("compliant")), app("b", fixture.image("unsigned")));
            assertThat(sources(validate(handler, review))).containsExactly(Source.PIPELINE, Source.PIPELINE);
            assertThat(sources(validate(handler, review))).containsExactly(Source.CACHE, Source.PIPELINE);
            // Another namespace may see another verdict (policies read context.namespace): not shared.
            assertThat(sources(validate(handler, AdmissionReviews.pod("dev", app("a", fixture.image("compliant"))))))
                    .containsExactly(Source.PIPELINE);
        }
        try (AdmissionHandler handler = fixture.handler(config("cache: {denials: true, denialTtl: 30s}"),
                new InMemoryVerdictCache(AdmissionFixture.clock()), FastPath.NONE)) {
            ObjectNode review = AdmissionReviews.pod("prod", app("b", fixture.image("unsigned")));
            validate(handler, review);
            AdmissionOutcome again = validate(handler, review);
            assertThat(sources(again)).containsExactly(Source.CACHE);
            assertThat(again.response().allowed()).isFalse();
            assertThat(again.response().message()).contains("GH-SIGNED");
        }
    }

    @Test
    void dryRunRequestsAreCheckedButWriteNothingToTheCache() throws Exception {
        try (AdmissionHandler handler = handler(DEFAULTS)) {
            ObjectNode review = AdmissionReviews.pod("prod", app("a", fixture.image("compliant")));
            AdmissionOutcome dry = validate(handler, AdmissionReviews.dryRun(review));
            assertThat(dry.response().allowed()).isTrue();
            assertThat(sources(validate(handler, review))).containsExactly(Source.PIPELINE);
            assertThat(sources(validate(handler, AdmissionReviews.dryRun(review)))).containsExactly(Source.CACHE);
        }
    }

    @Test
    void aVerdictIsNotSharedWithTheSameDigestInAnotherRepository() throws Exception {
        // The same manifest copied without its signature into another repository must be judged there.
        OciRepository from = REGISTRY.repository(AdmissionFixture.REPOSITORY);
        OciRepository to = REGISTRY.repository("mirror/app");
        Descriptor top = from.resolve("compliant");
        ImageManifest manifest = (ImageManifest) from.manifest(top);
        to.putBlob(from.blob(manifest.config().digest(), 1 << 20), manifest.config().mediaType());
        for (Descriptor layer : manifest.layers()) {
            to.putBlob(from.blob(layer.digest(), 64 << 20), layer.mediaType());
        }
        to.putManifest(manifest, "copied");
        try (AdmissionHandler handler = handler(DEFAULTS)) {
            assertThat(validate(handler, AdmissionReviews.pod("prod", app("a", fixture.image("compliant")))).response().allowed()).isTrue();
            AdmissionOutcome copied = validate(handler, AdmissionReviews.pod("prod", app("a", REGISTRY.host() + "/mirror/app:copied")));
            assertThat(sources(copied)).containsExactly(Source.PIPELINE);
            assertThat(copied.response().allowed()).isFalse();
        }
    }

    @Test
    void duplicateImagesAndTagsOfOneDigestAreVerifiedOnce() throws Exception {
        CountingFastPath counting = new CountingFastPath();
        try (AdmissionHandler handler = fixture.handler(DEFAULTS, new InMemoryVerdictCache(AdmissionFixture.clock()),
                counting)) {
            String tagged = fixture.image("compliant");
            String pinned = REGISTRY.host() + "/" + AdmissionFixture.REPOSITORY + "@" + fixture.digest("compliant");
            AdmissionOutcome outcome = validate(handler, AdmissionReviews.pod("prod",
                    app("a", tagged), app("b", tagged), init("c", tagged), app("d", pinned), ephemeral("e", pinned)));
            assertThat(outcome.response().allowed()).isTrue();
            assertThat(outcome.images()).extracting(CheckedImage::image).containsExactly(tagged, pinned);
            assertThat(counting.asked).containsExactly(pinned);
        }
    }

    @Test
    void mutationPinsEveryTagToTheVerifiedDigestAndLeavesPinnedImagesAlone() throws Exception {
        try (AdmissionHandler handler = handler(DEFAULTS)) {
            String pinned = REGISTRY.host() + "/" + AdmissionFixture.REPOSITORY + "@" + fixture.digest("compliant");
            ObjectNode review = AdmissionReviews.workload("apps", "Deployment", "prod",
                    app("web", fixture.image("compliant")), app("sidecar", pinned), init("setup", fixture.image("compliant")));
            JsonNode response = handler.mutate(AdmissionReviews.bytes(review)).response().toJson().get("response");
            assertThat(response.get("allowed").asBoolean()).isTrue();
            assertThat(response.get("patchType").asText()).isEqualTo("JSONPatch");

            JsonNode patched = AdmissionReviews.applyPatch(review.at("/request/object"), response.get("patch").asText());
            String expected = fixture.image("compliant") + "@" + fixture.digest("compliant");
            assertThat(patched.at("/spec/template/spec/containers/0/image").asText()).isEqualTo(expected);
            assertThat(patched.at("/spec/template/spec/containers/1/image").asText()).isEqualTo(pinned);
            assertThat(patched.at("/spec/template/spec/initContainers/0/image").asText()).isEqualTo(expected);
            ObjectNode expectedObject = review.at("/request/object").deepCopy();
            ((ObjectNode) expectedObject.at("/spec/template/spec/containers/0")).put("image", expected);
            ((ObjectNode) expectedObject.at("/spec/template/spec/initContainers/0")).put("image", expected);
            assertThat(patched).isEqualTo(expectedObject);

            // Reinvoked on its own output (reinvocationPolicy: IfNeeded), the webhook has nothing left to pin.
            ObjectNode again = review.deepCopy();
            ((ObjectNode) again.get("request")).set("object", patched);
            JsonNode second = handler.mutate(AdmissionReviews.bytes(again)).response().toJson().get("response");
            assertThat(second.get("allowed").asBoolean()).isTrue();
            assertThat(second.has("patch")).isFalse();
            assertThat(second.has("patchType")).isFalse();

            assertThat(validate(handler, review).response().toJson().at("/response/patch").isMissingNode()).isTrue();
        }
    }

    @Test
    void aDeniedMutationCarriesNoPatch() throws Exception {
        try (AdmissionHandler handler = handler(DEFAULTS)) {
            JsonNode response = handler.mutate(AdmissionReviews.bytes(AdmissionReviews.pod("prod",
                    app("a", fixture.image("compliant")), app("b", fixture.image("unsigned"))))).response().toJson().get("response");
            assertThat(response.get("allowed").asBoolean()).isFalse();
            assertThat(response.has("patch")).isFalse();
        }
    }

    @Test
    void imagesNotDecidedBeforeTheDeadlineAreDeniedSayingSo() throws Exception {
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.createContext("/", exchange -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        java.util.concurrent.ExecutorService slowThreads = java.util.concurrent.Executors.newFixedThreadPool(4);
        slow.setExecutor(slowThreads);
        slow.start();
        String slowHost = "127.0.0.1:" + slow.getAddress().getPort();
        OciRepositories repositories = new OciRepositories(RegistryCredentials.anonymous(),
                RegistryClient.Options.defaults().withPlainHttpUnsafe(slowHost).withRetries(0, java.time.Duration.ZERO,
                        java.time.Duration.ZERO));
        try (AdmissionHandler enforce = new AdmissionHandler(config("deadline: 300ms"), fixture.pipeline(), repositories,
                new InMemoryVerdictCache(AdmissionFixture.clock()), FastPath.NONE, fixture.trustConfigurationDigest(),
                AdmissionFixture.clock());
             AdmissionHandler failOpen = new AdmissionHandler(config("{deadline: 300ms, failOpenUnsafe: true}"), fixture.pipeline(),
                     repositories, new InMemoryVerdictCache(AdmissionFixture.clock()), FastPath.NONE,
                     fixture.trustConfigurationDigest(), AdmissionFixture.clock())) {
            ObjectNode review = AdmissionReviews.pod("prod", app("a", slowHost + "/slow/app:1"));
            // Answered at the deadline, not when the registry answers: its 503 (after 3 s) would read "cannot resolve the tag".
            AdmissionOutcome outcome = validate(enforce, review);
            assertThat(outcome.response().allowed()).isFalse();
            assertThat(outcome.response().message()).isEqualTo(slowHost + "/slow/app:1 (a): not verified: not decided within the "
                    + "300ms admission deadline (verification continues; a retry may be answered from the cache)");

            JsonNode open = validate(failOpen, review).response().toJson().get("response");
            assertThat(open.get("allowed").asBoolean()).isTrue();
            assertThat(open.get("warnings").get(0).asText()).contains("admitted without verification (failOpenUnsafe)");
            assertThat(open.at("/auditAnnotations/admitted-unverified").asText()).contains("deadline");
        } finally {
            slow.stop(0);
            slowThreads.shutdownNow();
        }
    }

    @Test
    void aVerificationThatMissedTheDeadlineStillFillsTheCacheForTheRetry() throws Exception {
        // Blobs come 3 s late, so the first verification cannot finish within the 2 s deadline; the retry's tag
        // resolution (a manifest HEAD) is not delayed, and its verdict comes from the cache.
        try (FaultProxy slow = FaultProxy.of(REGISTRY.host()).inject(new FaultProxy.Fault.Delay(java.time.Duration.ofSeconds(3)),
                FaultProxy.blobs(), -1)) {
            OciRepositories repositories = new OciRepositories(RegistryCredentials.anonymous(),
                    RegistryClient.Options.defaults().withPlainHttpUnsafe(slow.host()));
            InMemoryVerdictCache cache = new InMemoryVerdictCache(AdmissionFixture.clock());
            try (AdmissionHandler handler = new AdmissionHandler(config("deadline: 2s"),
                    fixture.pipeline(PolicyBundle.hardened(), fixture.trustConfigFile(), repositories), repositories, cache,
                    FastPath.NONE, fixture.trustConfigurationDigest(), AdmissionFixture.clock())) {
                ObjectNode review = AdmissionReviews.pod("prod", app("a", slow.host() + "/" + AdmissionFixture.REPOSITORY + ":compliant"));
                AdmissionOutcome first = validate(handler, review);
                assertThat(first.response().allowed()).isFalse();
                assertThat(first.response().message()).contains("not decided within the 2s admission deadline");

                VerdictCache.Key key = new VerdictCache.Key(slow.host() + "/" + AdmissionFixture.REPOSITORY,
                        fixture.digest("compliant"), PolicyBundle.hardened().revision(), fixture.trustConfigurationDigest(), "prod");
                long until = System.nanoTime() + 120_000_000_000L;
                while (cache.get(key).isEmpty() && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                AdmissionOutcome retry = validate(handler, review);
                assertThat(sources(retry)).containsExactly(Source.CACHE);
                assertThat(retry.response().allowed()).isTrue();
            }
        }
    }

    @Test
    void anUnreachableRegistryFailsClosed() throws Exception {
        try (AdmissionHandler handler = handler(DEFAULTS)) {
            AdmissionOutcome outcome = validate(handler, AdmissionReviews.pod("prod", app("a", REGISTRY.host() + "/missing/app:1")));
            assertThat(outcome.response().allowed()).isFalse();
            assertThat(outcome.response().message()).startsWith(REGISTRY.host() + "/missing/app:1 (a): not verified: cannot resolve the tag");
        }
    }

    @Test
    void localPathsAndMalformedReferencesAreDeniedWithoutAnyLookup() throws Exception {
        try (AdmissionHandler handler = handler(DEFAULTS)) {
            AdmissionOutcome outcome = validate(handler, AdmissionReviews.pod("prod", app("a", "oci:/etc"), app("b", "Bad//Name:1")));
            assertThat(outcome.response().allowed()).isFalse();
            List<String> lines = outcome.response().message().lines().toList();
            assertThat(lines.get(0)).isEqualTo("oci:/etc (a): 'oci:/etc' is not a registry image reference");
            assertThat(lines.get(1)).startsWith("Bad//Name:1 (b): invalid image reference");
        }
    }

    @Test
    void theFastPathAnswersBeforeThePipelineAndItsVerdictIsCached() throws Exception {
        List<VerdictCache.Key> asked = new CopyOnWriteArrayList<>();
        FastPath vsa = (pinned, key) -> {
            asked.add(key);
            return Optional.of(new VerdictCache.Verdict(Decision.Outcome.ALLOW, List.of(), AdmissionFixture.NOW));
        };
        try (AdmissionHandler handler = fixture.handler(DEFAULTS, new InMemoryVerdictCache(AdmissionFixture.clock()),
                vsa)) {
            ObjectNode review = AdmissionReviews.pod("prod", app("a", fixture.image("unsigned")));
            AdmissionOutcome first = validate(handler, review);
            assertThat(sources(first)).containsExactly(Source.FAST_PATH);
            assertThat(first.response().allowed()).isTrue();
            assertThat(sources(validate(handler, review))).containsExactly(Source.CACHE);
            assertThat(asked).singleElement().satisfies(key -> {
                assertThat(key.image()).isEqualTo(fixture.digest("unsigned"));
                assertThat(key.repository()).isEqualTo(REGISTRY.host() + "/" + AdmissionFixture.REPOSITORY);
                assertThat(key.namespace()).isEqualTo("prod");
                assertThat(key.trustConfiguration()).isEqualTo(fixture.trustConfigurationDigest());
            });
        }
        FastPath broken = (pinned, key) -> {
            throw new IllegalStateException("VSA store down");
        };
        try (AdmissionHandler handler = fixture.handler(DEFAULTS, new InMemoryVerdictCache(AdmissionFixture.clock()),
                broken)) {
            AdmissionOutcome outcome = validate(handler, AdmissionReviews.pod("prod", app("a", fixture.image("unsigned"))));
            assertThat(sources(outcome)).containsExactly(Source.PIPELINE);
            assertThat(outcome.response().allowed()).isFalse();
        }
    }

    @Test
    void aPassAtPushDoesNotAdmitInANamespaceWhosePolicyDenies() throws Exception {
        PolicyBundle perNamespace = PolicyBundle.fromFiles("per-namespace", Map.of("main.rego", """
                package gatehouse.main

                deny contains {"policy": "T-PROD", "severity": "critical", "message": "prod runs signed images only"} if {
                	input.context.namespace == "prod"
                	count(input.signatures) == 0
                }

                decision := {"allow": count(deny) == 0, "deny": deny}
                """.getBytes(StandardCharsets.UTF_8)), BundleVerification.NONE, null);
        List<VerdictCache.Key> asked = new CopyOnWriteArrayList<>();
        // What a VSA signed at push (no namespace) says about the unsigned image under this policy.
        FastPath passedAtPush = (pinned, key) -> {
            asked.add(key);
            return Optional.of(new VerdictCache.Verdict(Decision.Outcome.ALLOW, List.of(), AdmissionFixture.NOW));
        };
        try (AdmissionHandler handler = new AdmissionHandler(AdmissionConfig.defaults(), fixture.pipeline(perNamespace),
                fixture.repositories(), new InMemoryVerdictCache(AdmissionFixture.clock()), passedAtPush,
                fixture.trustConfigurationDigest(), AdmissionFixture.clock())) {
            AdmissionOutcome prod = validate(handler, AdmissionReviews.pod("prod", app("a", fixture.image("unsigned"))));
            assertThat(sources(prod)).containsExactly(Source.PIPELINE);
            assertThat(prod.response().allowed()).isFalse();
            assertThat(prod.response().toJson().at("/response/status/message").asText()).contains("T-PROD");
            AdmissionOutcome dev = validate(handler, AdmissionReviews.pod("dev", app("a", fixture.image("unsigned"))));
            assertThat(sources(dev)).containsExactly(Source.PIPELINE);
            assertThat(dev.response().allowed()).isTrue();
            assertThat(asked).isEmpty();
        }
    }

    @Test
    void v1beta1ReviewsAreAnsweredInV1beta1() throws Exception {
        try (AdmissionHandler handler = handler(DEFAULTS)) {
            ObjectNode review = AdmissionReviews.pod("prod", app("a", fixture.image("compliant")));
            review.put("apiVersion", "admission.k8s.io/v1beta1");
            JsonNode json = handler.mutate(AdmissionReviews.bytes(review)).response().toJson();
            assertThat(json.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1beta1");
            assertThat(json.at("/response/patchType").asText()).isEqualTo("JSONPatch");
        }
    }
}
