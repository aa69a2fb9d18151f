package dev.gatehouse.handlers.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.RegistryClient;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.ports.ImageEnumerator;
import dev.gatehouse.ports.ImageEnumerator.ListedImage;
import dev.gatehouse.ports.RegistryCredentials;
import dev.gatehouse.ports.WorkQueue;
import dev.gatehouse.ports.local.InMemoryBlobStore;
import dev.gatehouse.ports.local.InMemoryResultStore;
import dev.gatehouse.ports.local.InMemoryWorkQueue;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.vex.VexPolicy;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planner and workers over in-memory ports, with images on a registry that does not answer. */
class ScanWorkerTest {

    static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    @AfterAll
    static void shutdown() {
        EXECUTOR.shutdownNow();
    }

    static Digest digest(int i) {
        return Digest.sha256(("image " + i).getBytes(StandardCharsets.UTF_8));
    }

    /** A loopback port nobody listens on. */
    static String deadRegistry() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

    record FixedListing(ImageEnumerator.Listing listing) implements ImageEnumerator {
        @Override
        public String source() {
            return "fixed";
        }

        @Override
        public Listing list(Scope scope) {
            return listing;
        }
    }

    @Test
    void unreachableImagesAreErrorsAndTheLastBatchWritesTheSummary() throws Exception {
        String registry = deadRegistry();
        List<ListedImage> listed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            listed.add(new ListedImage(registry, "team/app", digest(i), List.of("v" + i)));
        }
        listed.add(new ListedImage(registry, "team/app", digest(0), List.of("latest")));
        String hex = digest(0).hex();
        listed.add(new ListedImage(registry, "team/app", digest(9), List.of("sha256-" + hex + ".sig")));
        listed.add(new ListedImage(registry, "team/app", digest(8), List.of()));
        ImageEnumerator enumerator = new FixedListing(new ImageEnumerator.Listing(listed,
                List.of(new ImageEnumerator.Unlisted(registry, "team/gone", null, "cannot list tags: not found")), false));

        Clock clock = Clock.systemUTC();
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        InMemoryWorkQueue queue = new InMemoryWorkQueue(clock);
        ScanPlan plan = new ScanPlanner(enumerator, queue, blobs, clock, 2, s -> { }).plan(ImageEnumerator.Scope.everything(100));
        assertThat(plan.images()).isEqualTo(5);
        assertThat(plan.batches()).isEqualTo(3);
        assertThat(plan.skippedAttachments()).isEqualTo(1);
        assertThat(plan.skippedUntagged()).isEqualTo(1);

        SampleTrust.write(dir, LocalKeySigner.generate("scan-test"));
        OciRepositories repositories = new OciRepositories(RegistryCredentials.anonymous(), RegistryClient.Options.defaults()
                .withPlainHttpUnsafe(registry).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .withRetries(0, Duration.ofMillis(1), Duration.ofMillis(1)));
        VerificationPipeline pipeline = new VerificationPipeline(repositories, TrustConfig.read(dir.resolve(SampleTrust.TRUST_CONFIG)),
                TrustedBuilders.defaults(), PolicyBundle.hardened(), VexPolicy.defaults(), clock, EXECUTOR, s -> { });
        ScanWorker worker = new ScanWorker(pipeline, new InMemoryResultStore(), blobs, List.of(), clock, 2, s -> { });

        List<ScanWorker.BatchOutcome> outcomes = new ArrayList<>();
        for (WorkQueue.Message m : queue.receive(10, Duration.ZERO, Duration.ofMinutes(5))) {
            outcomes.add(worker.process(ScanBatch.parse(m.body())));
        }
        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.subList(0, 2)).noneMatch(ScanWorker.BatchOutcome::completedScan);
        assertThat(outcomes.get(2).completedScan()).isTrue();
        assertThat(outcomes).allMatch(o -> o.errors() == o.images());

        ScanSummary summary = new ScanFinalizer(blobs, clock, s -> { }).finish(plan.scanId());
        assertThat(summary.decisions().get(ImageResult.Status.ERROR)).isEqualTo(5);
        assertThat(summary.decisions().get(ImageResult.Status.ALLOW)).isZero();
        assertThat(summary.results()).filteredOn(r -> r.digest().equals(digest(0))).singleElement()
                .satisfies(r -> assertThat(r.tags()).containsExactly("v0", "latest"));
        assertThat(summary.errors()).allSatisfy(r -> assertThat(r.error()).contains(registry));
        assertThat(summary.toJson().path("unlisted")).hasSize(1);
        assertThat(blobs.get(ScanKeys.html(plan.scanId()), 1 << 20)).isPresent();
        assertThat(blobs.get(summary.errors().get(0).reportKey(), 1 << 20)).isPresent();
    }

    @Test
    void anImageNoWorkerCouldTakeIsReportedUnlistedInsteadOfEnqueued() throws Exception {
        List<ListedImage> listed = List.of(new ListedImage("r.example", "team/app", digest(1), List.of("v1")),
                new ListedImage("r.example", "Team/App", digest(2), List.of("v2")));
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        InMemoryWorkQueue queue = new InMemoryWorkQueue(Clock.systemUTC());
        ScanPlan plan = new ScanPlanner(new FixedListing(new ImageEnumerator.Listing(listed, List.of(), false)), queue, blobs,
                Clock.systemUTC(), 10, s -> { }).plan(ImageEnumerator.Scope.everything(10));
        assertThat(plan.images()).isEqualTo(1);
        assertThat(plan.unlisted()).singleElement().satisfies(u -> {
            assertThat(u.repository()).isEqualTo("Team/App");
            assertThat(u.problem()).startsWith("cannot be scanned: ").contains("invalid repository name");
        });
        List<WorkQueue.Message> messages = queue.receive(10, Duration.ZERO, Duration.ofMinutes(5));
        assertThat(messages).singleElement().satisfies(m -> assertThat(ScanBatch.parse(m.body()).images()).hasSize(1));
    }

    @Test
    void scanWithNothingToVerifyIsSummarisedAtOnce() throws Exception {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        InMemoryWorkQueue queue = new InMemoryWorkQueue(Clock.systemUTC());
        ScanPlan plan = new ScanPlanner(new FixedListing(new ImageEnumerator.Listing(List.of(), List.of(), false)), queue, blobs,
                Clock.systemUTC(), 10, s -> { }).plan(ImageEnumerator.Scope.everything(10));
        assertThat(plan.batches()).isZero();
        assertThat(queue.receive(10, Duration.ZERO, Duration.ofSeconds(1))).isEmpty();
        assertThat(blobs.get(ScanKeys.summary(plan.scanId()), 1 << 20)).isPresent();
    }
}
