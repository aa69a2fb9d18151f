package dev.gatehouse.cli;

import static dev.gatehouse.handlers.admission.AdmissionReviews.Container.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.handlers.admission.AdmissionFixture;
import dev.gatehouse.handlers.admission.AdmissionReviews;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleTrust;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission under load on {@code gatehouse serve} in front of the real registry: 50 concurrent
 * clients POST AdmissionReviews; every answer is a 200 with the expected verdict, and the heap after
 * GC does not grow over the run. Prints requests per second and p50/p99 for cache hits and misses
 * and for pods of 1 and 10 images (docs/performance.md). {@code -Dgatehouse.load.requests=N} sets
 * the size of the load run (default 2,000; 10,000 for the documented figures).
 */
class AdmissionLoadTest {

    private static final int CLIENTS = 50;
    private static final int LOAD_REQUESTS = Integer.getInteger("gatehouse.load.requests", 2_000);
    /** Slack for heap after GC between start and end (allocator and JIT noise), far below what a leak per request adds. */
    private static final long HEAP_SLACK_BYTES = 48L * 1024 * 1024;

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    static Path dir;

    static AdmissionFixture fixture;
    static ServeFixture serve;
    static HttpClient http;
    static final List<String> TEN_IMAGES = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = AdmissionFixture.create(REGISTRY, dir.resolve("trust"));
        for (int i = 0; i < 9; i++) {
            fixture.push(AdmissionFixture.REPOSITORY, "compliant-" + i, EnumSet.noneOf(SampleDefect.class));
        }
        TEN_IMAGES.add(fixture.image("compliant"));
        for (int i = 0; i < 9; i++) {
            TEN_IMAGES.add(fixture.image("compliant-" + i));
        }
        serve = ServeFixture.start("--trust-config", fixture.trustConfigFile().toString(),
                "--trusted-builders", fixture.trustDir().resolve(SampleTrust.TRUSTED_BUILDERS).toString(),
                "--plain-http-unsafe", REGISTRY.host(), "--threads", "64");
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (serve != null) {
            serve.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    record Run(String name, int requests, int errors, double seconds, long[] micros) {
        double perSecond() {
            return requests / seconds;
        }

        double percentileMillis(double p) {
            return micros[Math.min(micros.length - 1, (int) Math.ceil(p / 100 * micros.length) - 1)] / 1000.0;
        }

        String line() {
            return String.format(Locale.ROOT, "admission %-34s %6d requests  %8.1f req/s  p50 %8.2f ms  p99 %8.2f ms  errors %d",
                    name, requests, perSecond(), percentileMillis(50), percentileMillis(99), errors);
        }
    }

    /** {@code requests} POSTs of {@code review(i)} from {@link #CLIENTS} threads; counts answers that are not 200 with {@code allowed}. */
    private static Run run(String name, int requests, boolean allowed, IntFunction<byte[]> review) throws Exception {
        long[] micros = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        String expected = "\"allowed\":" + allowed;
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        long t = System.nanoTime();
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(serve.uri() + "/validate"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(review.apply(i))).build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200 || !response.body().contains(expected)) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        micros[i] = (System.nanoTime() - t) / 1000;
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(micros);
        Run run = new Run(name, requests, errors.get(), seconds, micros);
        System.out.println(run.line());
        return run;
    }

    private static byte[] pod(String namespace, List<String> images) {
        return AdmissionReviews.bytes(AdmissionReviews.pod(namespace, images.stream()
                .map(image -> app("c" + images.indexOf(image), image)).toArray(AdmissionReviews.Container[]::new)));
    }

    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Test
    void cacheHitsAndMissesWithOneAndTenImagesAnswerEveryRequest() throws Exception {
        byte[] one = pod("prod", List.of(fixture.image("compliant")));
        byte[] ten = pod("prod", TEN_IMAGES);
        // A denied image is verified again every time (denials are not cached by default): the miss path.
        byte[] miss = pod("prod", List.of(fixture.image("root")));
        run("warm-up", 200, true, i -> one);
        run("warm-up", 100, true, i -> ten);
        List<Run> runs = List.of(
                run("cache hit, 1 image", 2_000, true, i -> one),
                run("cache hit, 10 images", 1_000, true, i -> ten),
                run("cache miss (full verification), 1 image", 300, false, i -> miss));
        assertThat(runs).allSatisfy(r -> assertThat(r.errors()).as(r.name()).isZero());
    }

    @Test
    void sustainedLoadHasNoErrorsAndNoHeapGrowth() throws Exception {
        byte[] one = pod("prod", List.of(fixture.image("compliant")));
        run("warm-up", 500, true, i -> one);
        long before = heapAfterGc();
        Run load = run("load", LOAD_REQUESTS, true, i -> one);
        long after = heapAfterGc();
        System.out.printf(Locale.ROOT, "admission load heap after GC: start %.1f MiB, end %.1f MiB%n", before / 1048576.0, after / 1048576.0);
        assertThat(load.errors()).isZero();
        assertThat(after).isLessThan(before + HEAP_SLACK_BYTES);
    }
}
