package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gatehouse.handlers.scan.ImageResult;
import dev.gatehouse.handlers.scan.LocalScan;
import dev.gatehouse.handlers.scan.ScanPlanner;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.ports.ImageEnumerator;
import dev.gatehouse.ports.local.DirectoryBlobStore;
import dev.gatehouse.sample.DistributionRegistryProcess;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.verify.VerificationReport;
import dev.gatehouse.verify.VerificationRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse bench}: figures for docs/performance.md on this machine. Builds the demo's signed
 * sample image into an OCI layout and, when Debian's docker-registry is installed, into a local
 * distribution registry, and measures Sigstore bundle verification beside sigstore-js, warm
 * verification split into registry I/O, crypto and policy time, the default policy bundle on a
 * large input, compliance-scan throughput per worker, and JVM start to first decision in a new JVM,
 * plain and with an AppCDS archive. Prints medians, spreads and ratios; asserts nothing.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure Gatehouse on this machine and print the figures of docs/performance.md.",
            "Sigstore bundle verifications/s on the sigstore-conformance happy paths beside sigstore-js, warm verification of a "
                    + "signed image (OCI layout and local registry: I/O, crypto, policy), Rego evaluations of the default bundle on "
                    + "a large input (2,000 findings, 5,000 components), compliance-scan images/s per worker against a local "
                    + "registry, and JVM start to first decision (a cold-start proxy), plain and with AppCDS.",
            "The registry parts need /usr/bin/docker-registry; missing parts are reported as not measured.",
            "Exit codes: 0 measured, 2 error."
        })
final class BenchCommand implements Callable<Integer> {

    private static final String SAMPLE_REPOSITORY = "bench/app";
    private static final String SCAN_REPOSITORY = "bench/scan";
    private static final int SCAN_WORKER_PARALLELISM = 2;

    @Option(names = "--short", description = "CI mode: fewer iterations, scanned images and cold starts.")
    boolean shortMode;

    @Option(names = "--java", paramLabel = "PATH", description = "java launcher for the cold starts (default: this JVM's).")
    Path java;

    @Option(names = "--oracles", paramLabel = "DIR",
            description = "Oracles folder holding sigstore-conformance and sigstore-trusted-root (default: -Dgatehouse.oracles, else ../shared/oracles).")
    Path oracles;

    @Option(names = "--sigstore-js", paramLabel = "NODE_MODULES", defaultValue = ".ci/tools/sigstore-js/node_modules",
            description = "node_modules holding sigstore (4.1.1) for the side-by-side run (default: ${DEFAULT-VALUE}).")
    Path sigstoreJs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path root = Files.createTempDirectory("gatehouse-bench");
        try {
            run(root, out);
        } finally {
            deleteTree(root);
        }
        out.flush();
        return 0;
    }

    private void run(Path root, PrintWriter out) throws Exception {
        long started = System.nanoTime();
        Path layout = root.resolve("layout");
        Path trust = root.resolve("trust");
        LocalKeySigner signer = LocalKeySigner.generate("sample-publisher");
        SampleTrust.write(trust, signer);
        new SampleImages(OciLayout.openOrCreate(layout), signer, Instant.now())
                .build("registry.gatehouse.test/samples/app", "compliant", Set.of());
        out.printf(Locale.ROOT, "gatehouse bench%s on %s, %d CPUs, java %s, load average %s%n", shortMode ? " --short" : "",
                System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAverage());
        out.flush();

        Map<String, Long> seconds = new LinkedHashMap<>();
        long mark = System.nanoTime();
        Path oraclesDir = oracles != null ? oracles : Path.of(System.getProperty("gatehouse.oracles", "../shared/oracles"));
        new SigstoreBench(oraclesDir, sigstoreJs, root, shortMode ? 5 : 30,
                TimeUnit.SECONDS.toNanos(shortMode ? 2 : 10), out).run();
        out.flush();
        mark = lap(seconds, "sigstore", mark);

        DistributionRegistryProcess registry = null;
        if (DistributionRegistryProcess.installed()) {
            Path registryDir = Files.createDirectories(root.resolve("registry"));
            registry = DistributionRegistryProcess.start(registryDir);
        } else {
            out.println("registry parts: not measured: " + DistributionRegistryProcess.BINARY + " not installed (apt-get install docker-registry)");
        }
        ExecutorService executor = Executors.newCachedThreadPool();
        try {
            List<String> trustArgs = List.of("--trust-config", trust.resolve(SampleTrust.TRUST_CONFIG).toString(),
                    "--trusted-builders", trust.resolve(SampleTrust.TRUSTED_BUILDERS).toString());
            List<String> pipelineArgs = new ArrayList<>(trustArgs);
            if (registry != null) {
                pipelineArgs.addAll(List.of("--plain-http-unsafe", registry.host()));
            }
            PipelineOptions options = new PipelineOptions();
            new CommandLine(options).parseArgs(pipelineArgs.toArray(String[]::new));
            VerificationPipeline pipeline = options.pipeline(executor, line -> { });

            String layoutImage = "oci:" + layout + ":compliant";
            VerificationReport report = verifyWarm(pipeline, layoutImage, "OCI layout", out);
            mark = lap(seconds, "verify layout", mark);
            regoDefaultBundle(report.input(), out);
            mark = lap(seconds, "rego", mark);
            String coldImage = layoutImage;
            if (registry != null) {
                OciRepositories repositories = options.registry.repositories();
                String image = registry.host() + "/" + SAMPLE_REPOSITORY + ":compliant";
                new SampleImages(repositories.open(ImageReference.parse(image)), signer, Instant.now())
                        .build(registry.host() + "/" + SAMPLE_REPOSITORY, "compliant", Set.of());
                verifyWarm(pipeline, image, "local registry", out);
                mark = lap(seconds, "verify registry", mark);
                scan(registry.host(), repositories, pipeline, signer, root, out);
                mark = lap(seconds, "scan", mark);
                coldImage = image;
                trustArgs = pipelineArgs;
            }
            coldStarts(coldImage, trustArgs, root, out);
            lap(seconds, "cold starts", mark);
        } finally {
            executor.shutdownNow();
            if (registry != null) {
                registry.close();
            }
        }
        StringBuilder parts = new StringBuilder();
        seconds.forEach((part, s) -> parts.append(parts.isEmpty() ? "" : ", ").append(part).append(' ').append(s).append(" s"));
        out.printf(Locale.ROOT, "bench took %.0f s (%s), load average now %s%n", (System.nanoTime() - started) / 1e9, parts,
                loadAverage());
    }

    /** Records the seconds since {@code mark} under {@code part}; returns the new mark. */
    private static long lap(Map<String, Long> seconds, String part, long mark) {
        long now = System.nanoTime();
        seconds.put(part, TimeUnit.NANOSECONDS.toSeconds(now - mark));
        return now;
    }

    private VerificationReport verifyWarm(VerificationPipeline pipeline, String image, String where, PrintWriter out) throws Exception {
        int runs = shortMode ? 20 : 200;
        VerificationRequest request = VerificationRequest.of(ImageReference.parse(image), "bench");
        VerificationReport last = null;
        for (int i = 0; i < runs / 2; i++) {
            last = pipeline.verify(request);
        }
        List<VerificationReport> reports = new ArrayList<>();
        List<Long> wall = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            reports.add(pipeline.verify(request));
            wall.add(System.nanoTime() - t);
        }
        BenchSamples total = BenchSamples.of(wall);
        out.printf(Locale.ROOT, "verify (warm, %s, %s)   %d runs  %8.1f verifications/s  p50 %7.2f ms  p99 %7.2f ms%n",
                where, last.decision().outcome(), runs, total.perSecond(), total.millis(50), total.millis(99));
        printSplit(reports, out);
        out.flush();
        return last;
    }

    private static void printSplit(List<VerificationReport> reports, PrintWriter out) {
        printPart("  registry/layout I/O", reports, r -> r.timings().registryMillis(), out);
        printPart("  signatures and attestations (crypto)", reports, r -> r.timings().verifyMillis(), out);
        printPart("  policy evaluation", reports, r -> r.timings().policyMillis(), out);
    }

    private static void printPart(String what, List<VerificationReport> reports, ToLongFunction<VerificationReport> millis, PrintWriter out) {
        BenchSamples s = BenchSamples.ofMillis(reports.stream().map(millis::applyAsLong).toList());
        out.printf(Locale.ROOT, "%-40s p50 %7.1f ms  p99 %7.1f ms%n", what, s.millis(50), s.millis(99));
    }

    /** The hardened bundle on the sample's policy input grown to 2,000 findings and 5,000 components. */
    private void regoDefaultBundle(JsonNode sampleInput, PrintWriter out) throws Exception {
        ObjectNode input = sampleInput.deepCopy();
        int findings = grow(input, "findings", 2_000);
        int components = grow(input, "components", 5_000);
        PolicyBundle bundle = PolicyBundle.hardened();
        int runs = shortMode ? 12 : 200;
        for (int i = 0; i < Math.max(4, runs / 4); i++) {
            bundle.evaluate(input, line -> { });
        }
        List<Long> times = new ArrayList<>();
        String outcome = "";
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            outcome = bundle.evaluate(input, line -> { }).outcome().name();
            times.add(System.nanoTime() - t);
        }
        BenchSamples s = BenchSamples.of(times);
        out.printf(Locale.ROOT, "rego default bundle (%d findings, %d components, %s)  %d runs  %8.1f evaluations/s  p50 %7.2f ms  p99 %7.2f ms%n",
                findings, components, outcome, runs, s.perSecond(), s.millis(50), s.millis(99));
        out.flush();
    }

    /** Every array named {@code field} in the tree is filled up to {@code size} with renamed copies of its entries; returns the largest. */
    private static int grow(JsonNode node, String field, int size) {
        int largest = 0;
        if (node.isObject()) {
            for (var it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals(field) && e.getValue().isArray() && !e.getValue().isEmpty()) {
                    ArrayNode array = (ArrayNode) e.getValue();
                    int original = array.size();
                    for (int i = original; i < size; i++) {
                        JsonNode copy = array.get(i % original).deepCopy();
                        rename(copy, i);
                        array.add(copy);
                    }
                    largest = Math.max(largest, array.size());
                } else {
                    largest = Math.max(largest, grow(e.getValue(), field, size));
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                largest = Math.max(largest, grow(child, field, size));
            }
        }
        return largest;
    }

    private static void rename(JsonNode copy, int i) {
        if (copy instanceof ObjectNode object) {
            for (String key : List.of("id", "name", "purl", "bom-ref", "component")) {
                if (object.get(key) instanceof TextNode text) {
                    object.put(key, text.asText() + "-" + i);
                }
            }
        }
    }

    /**
     * Compliance scans of signed sample images in one repository of the local registry with the
     * planner, queue and worker of {@code gatehouse scan} (batches of {@link ScanPlanner#DEFAULT_IMAGES_PER_BATCH},
     * {@value #SCAN_WORKER_PARALLELISM} images at once per worker as in Lambda), with 1, 2 (and 4) workers.
     */
    private void scan(String host, OciRepositories repositories, VerificationPipeline pipeline, LocalKeySigner signer, Path root,
            PrintWriter out) throws Exception {
        int images = shortMode ? 20 : 100;
        int repeats = shortMode ? 1 : 3;
        List<Integer> workerCounts = shortMode ? List.of(1, 2) : List.of(1, 2, 4);
        SampleImages samples = new SampleImages(repositories.open(ImageReference.parse(host + "/" + SCAN_REPOSITORY + ":v0")), signer,
                Instant.now());
        for (int i = 0; i < images; i++) {
            samples.build(host + "/" + SCAN_REPOSITORY, "v" + i, Set.of());
        }
        ImageEnumerator.Scope scope = new ImageEnumerator.Scope(List.of(SCAN_REPOSITORY), images);
        if (!shortMode) {
            scanOnce(host, repositories, pipeline, root.resolve("scan-warmup"), 2, scope, images);
        }
        out.printf(Locale.ROOT, "compliance scan (local registry, %d signed images, batches of %d, %d images at once per worker%s)%n",
                images, ScanPlanner.DEFAULT_IMAGES_PER_BATCH, SCAN_WORKER_PARALLELISM, shortMode ? "" : ", after a warm-up scan");
        double oneWorker = 0;
        for (int workers : workerCounts) {
            List<Long> times = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                times.add(scanOnce(host, repositories, pipeline, root.resolve("scan-" + workers + "-" + r), workers, scope, images));
            }
            BenchSamples s = BenchSamples.of(times);
            double perSecond = images * 1000 / s.millis(50);
            oneWorker = workers == 1 ? perSecond / workers : oneWorker;
            out.printf(Locale.ROOT, "  %d worker%s  %d scans  %7.1f images/s  %6.1f images/s per worker  (%.2fx of one worker's)  "
                            + "scan p50 %6.0f ms  min %6.0f ms  max %6.0f ms%n", workers, workers == 1 ? " " : "s", repeats, perSecond,
                    perSecond / workers, perSecond / workers / oneWorker, s.millis(50), s.millis(0), s.millis(100));
            out.flush();
        }
    }

    private static long scanOnce(String host, OciRepositories repositories, VerificationPipeline pipeline, Path reports, int workers,
            ImageEnumerator.Scope scope, int expected) throws Exception {
        LocalScan scan = LocalScan.ofRegistry(repositories, host, pipeline, new DirectoryBlobStore(reports))
                .verificationsAtOnce(SCAN_WORKER_PARALLELISM).workers(workers).build();
        long start = System.nanoTime();
        LocalScan.Result result = scan.run(scope);
        long nanos = System.nanoTime() - start;
        long allowed = result.summary().results().stream().filter(r -> r.status() == ImageResult.Status.ALLOW).count();
        if (!result.failedBatches().isEmpty() || allowed != expected) {
            throw new IllegalStateException("bench scan allowed " + allowed + " of " + expected + " images; failed batches: "
                    + result.failedBatches());
        }
        return nanos;
    }

    /**
     * A new JVM verifying the image once (its {@code --format json} report gives the split), plain,
     * then with a dynamic AppCDS archive: one run writes it at exit ({@code -XX:ArchiveClassesAtExit},
     * JDK 13+), the measured runs map it ({@code -XX:SharedArchiveFile}).
     */
    private void coldStarts(String image, List<String> pipelineArgs, Path root, PrintWriter out) throws Exception {
        Path launcher = java != null ? java : Path.of(System.getProperty("java.home"), "bin", "java");
        int runs = shortMode ? 1 : 5;
        List<String> verify = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"), Gatehouse.class.getName(),
                "verify", image, "--format", "json"));
        verify.addAll(pipelineArgs);
        out.printf(Locale.ROOT, "JVM start to first decision (new JVM: gatehouse verify %s)%n", image.startsWith("oci:") ? "of the OCI layout"
                : "of the local registry's image");
        List<ColdRun> plain = coldStart(launcher, List.of("-Xshare:auto"), verify, runs);
        printCold("plain", plain, null, out);
        Path archive = root.resolve("gatehouse.jsa");
        try {
            coldStart(launcher, List.of("-XX:ArchiveClassesAtExit=" + archive), verify, 1);
        } catch (IllegalStateException e) {
            out.println("  AppCDS: not measured: " + e.getMessage());
            return;
        }
        List<ColdRun> cds = coldStart(launcher, List.of("-XX:SharedArchiveFile=" + archive), verify, runs);
        printCold("AppCDS", cds, plain, out);
    }

    /** One cold run: wall time of the process and the report's own timings. */
    private record ColdRun(long wallMillis, long registryMillis, long verifyMillis, long policyMillis, long totalMillis) {}

    private void printCold(String launcher, List<ColdRun> runs, List<ColdRun> baseline, PrintWriter out) {
        BenchSamples wall = BenchSamples.ofMillis(runs.stream().map(ColdRun::wallMillis).toList());
        String ratio = baseline == null ? "" : String.format(Locale.ROOT, "  (%.2fx faster)",
                BenchSamples.ofMillis(baseline.stream().map(ColdRun::wallMillis).toList()).millis(50) / wall.millis(50));
        out.printf(Locale.ROOT, "  %-7s %d runs  p50 %7.0f ms  min %7.0f ms  max %7.0f ms%s%n", launcher, runs.size(), wall.millis(50),
                wall.millis(0), wall.millis(100), ratio);
        out.printf(Locale.ROOT, "          split p50: JVM start and loading %d ms, registry/layout I/O %d ms, crypto %d ms, policy %d ms%n",
                median(runs, r -> r.wallMillis() - r.totalMillis()), median(runs, ColdRun::registryMillis),
                median(runs, ColdRun::verifyMillis), median(runs, ColdRun::policyMillis));
        out.flush();
    }

    private static long median(List<ColdRun> runs, ToLongFunction<ColdRun> part) {
        return (long) BenchSamples.ofMillis(runs.stream().map(part::applyAsLong).toList()).millis(50);
    }

    private static List<ColdRun> coldStart(Path launcher, List<String> jvmFlags, List<String> args, int runs) throws Exception {
        List<ColdRun> results = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < runs; i++) {
            List<String> command = new ArrayList<>();
            command.add(launcher.toString());
            command.addAll(jvmFlags);
            command.addAll(args);
            long t = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
            process.getOutputStream().close();
            byte[] stdout = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
            if (exit != 0) {
                throw new IllegalStateException("exit " + exit + ": " + err.lines().filter(l -> !l.isBlank()).findFirst().orElse(""));
            }
            JsonNode timings = json.readTree(stdout).path("timings_ms");
            results.add(new ColdRun(wall, timings.path("registry").asLong(), timings.path("verify").asLong(), timings.path("policy").asLong(),
                    timings.path("total").asLong()));
        }
        return results;
    }

    /** The 1, 5 and 15 minute load averages (Linux), or "unknown". */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is harmless.
        }
    }
}
