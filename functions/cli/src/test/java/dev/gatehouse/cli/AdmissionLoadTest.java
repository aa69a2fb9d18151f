package dev.gatehouse.cli;

import static dev.gatehouse.handlers.admission.AdmissionReviews.Container.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.handlers.admission.AdmissionFixture;
import dev.gatehouse.handlers.admission.AdmissionReviews;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.sample.SampleDefect;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
 * clients POST AdmissionReviews; every answer is a 200 with the expected verdict. Prints requests
 * per second and p50/p99 for cache hits and misses and for pods of 1 and 10 images
 * (docs/performance.md). The sustained run mixes all of them and checks that the heap after a full
 * GC does not grow across it; {@code -Dgatehouse.load.requests=N} sets its size (1,000 in CI,
 * 10,000 for the documented figures) and {@code -Dgatehouse.load.deadline=8s} the admission deadline
 * (default the longest allowed, so that a loaded CI machine does not turn latency into denials).
 */
class AdmissionLoadTest {

    private static final int CLIENTS = 50;
    private static final int LOAD_REQUESTS = Integer.getInteger("gatehouse.load.requests", 1_000);
    private static final String DEADLINE = System.getProperty("gatehouse.load.deadline", "29s");
    /**
     * Heap after a full GC may differ by this much between the start and the end of the sustained run
     * (allocator, thread-local buffers, connection pools): a leak of 1.7 KB per request exceeds it over
     * 10,000 requests.
     */
    private static final long HEAP_SLACK_BYTES = 16L * 1024 * 1024;

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
        Path admission = Files.writeString(dir.resolve("admission.yaml"), "deadline: " + DEADLINE + "\n");
        // The JSON log and metrics lines are dropped, not kept in memory: the heap is measured.
        serve = ServeFixture.startDiscardingOutput(CliArgs.of(CliArgs.sampleTrust(fixture.trustDir()),
                "--plain-http-unsafe", REGISTRY.host(), "--threads", "64", "--admission-config", admission.toString()));
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

    /** A review to POST and the verdict it must get. */
    record Review(byte[] body, boolean allowed) {}

    private static Run run(String name, int requests, boolean allowed, IntFunction<byte[]> review) throws Exception {
        return run(name, requests, i -> new Review(review.apply(i), allowed));
    }

    /** {@code requests} POSTs of {@code review(i)} from {@link #CLIENTS} threads; counts answers that are not 200 with the verdict. */
    private static Run run(String name, int requests, IntFunction<Review> review) throws Exception {
        long[] micros = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        Review r = review.apply(i);
                        long t = System.nanoTime();
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(serve.uri() + "/validate"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(r.body())).build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200 || !response.body().contains("\"allowed\":" + r.allowed())) {
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
    void sustainedMixedLoadHasNoErrorsAndNoHeapGrowth() throws Exception {
        byte[] one = pod("prod", List.of(fixture.image("compliant")));
        byte[] ten = pod("prod", TEN_IMAGES);
        byte[] miss = pod("prod", List.of(fixture.image("root")));
        List<String> tenWithOneMiss = new ArrayList<>(TEN_IMAGES.subList(0, 9));
        tenWithOneMiss.add(fixture.image("root"));
        byte[] tenOneMiss = pod("prod", tenWithOneMiss);
        // Of every ten requests: five 1-image hits, two 10-image hits, two 1-image misses (full verification, denied)
        // and one 10-image pod with nine hits and one miss (denied).
        IntFunction<Review> mix = i -> switch (i % 10) {
            case 0, 1, 2, 3, 4 -> new Review(one, true);
            case 5, 6 -> new Review(ten, true);
            case 7, 8 -> new Review(miss, false);
            default -> new Review(tenOneMiss, false);
        };
        run("warm-up", 200, mix);
        long[] heap = new long[5];
        heap[0] = heapAfterGc();
        int errors = 0;
        int quarter = Math.max(1, LOAD_REQUESTS / 4);
        for (int q = 1; q <= 4; q++) {
            errors += run("mixed load, quarter " + q, quarter, mix).errors();
            heap[q] = heapAfterGc();
        }
        System.out.printf(Locale.ROOT, "admission mixed load of %d requests, heap after full GC (MiB): %s; growth %.0f bytes/request%n",
                4 * quarter, Arrays.stream(heap).mapToObj(h -> String.format(Locale.ROOT, "%.1f", h / 1048576.0)).toList(),
                (heap[4] - heap[0]) / (4.0 * quarter));
        assertThat(errors).isZero();
        assertThat(heap[4]).as("heap after full GC at the end vs the start").isLessThan(heap[0] + HEAP_SLACK_BYTES);
    }
}
