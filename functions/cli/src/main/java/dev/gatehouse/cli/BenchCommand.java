package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.verify.VerificationReport;
import dev.gatehouse.verify.VerificationRequest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToLongFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse bench}: figures for docs/performance.md on this machine. Builds the demo's signed
 * sample image into an OCI layout and measures the default policy bundle on a large input, warm
 * verification split into I/O, crypto and policy time, and JVM start to first decision in a new
 * JVM, plain and with an AppCDS archive. Prints medians, p99 and ratios; asserts nothing.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure Gatehouse on this machine: Rego evaluations of the default bundle on a large input (2,000 findings,",
            "5,000 components), warm verification of a signed image (registry/layout I/O, crypto, policy), and JVM start to",
            "first decision (a cold-start proxy), plain and with AppCDS. Prints p50/p99 and ops/s.",
            "Exit codes: 0 measured, 2 error."
        })
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--short", description = "CI mode: fewer iterations and cold starts (well under a minute).")
    boolean shortMode;

    @Option(names = "--java", paramLabel = "PATH",
            description = "java launcher for the cold starts (default: this JVM's; AppCDS with -XX:+AutoCreateSharedArchive needs JDK 19+).")
    Path java;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Sorted samples in nanoseconds. */
    record Samples(long[] nanos) {
        static Samples of(List<Long> values) {
            long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(sorted);
            return new Samples(sorted);
        }

        double millis(double percentile) {
            int index = Math.min(nanos.length - 1, Math.max(0, (int) Math.ceil(percentile / 100 * nanos.length) - 1));
            return nanos[index] / 1e6;
        }

        double perSecond() {
            return 1000 / millis(50);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path root = Files.createTempDirectory("gatehouse-bench");
        Path layout = root.resolve("layout");
        Path trust = root.resolve("trust");
        LocalKeySigner signer = LocalKeySigner.generate("sample-publisher");
        SampleTrust.write(trust, signer);
        new SampleImages(OciLayout.openOrCreate(layout), signer, Instant.now())
                .build("registry.gatehouse.test/samples/app", "compliant", Set.of());
        String image = "oci:" + layout + ":compliant";
        out.printf(Locale.ROOT, "gatehouse bench on %s, %d CPUs, java %s%n", System.getProperty("os.name"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        PipelineOptions options = new PipelineOptions();
        new CommandLine(options).parseArgs("--trust-config", trust.resolve(SampleTrust.TRUST_CONFIG).toString(),
                "--trusted-builders", trust.resolve(SampleTrust.TRUSTED_BUILDERS).toString());
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try {
            VerificationPipeline pipeline = options.pipeline(executor, line -> { });
            VerificationReport report = verifyWarm(pipeline, image, out);
            regoDefaultBundle(report.input(), out);
        } finally {
            executor.shutdownNow();
        }
        coldStarts(image, trust, root, out);
        out.flush();
        return 0;
    }

    private VerificationReport verifyWarm(VerificationPipeline pipeline, String image, PrintWriter out) throws Exception {
        int runs = shortMode ? 30 : 200;
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
        Samples total = Samples.of(wall);
        out.printf(Locale.ROOT, "verify (warm, OCI layout, %s)   %d runs  %8.1f verifications/s  p50 %7.2f ms  p99 %7.2f ms%n",
                last.decision().outcome(), runs, total.perSecond(), total.millis(50), total.millis(99));
        printSplit("  registry/layout I/O", reports, r -> r.timings().registryMillis(), out);
        printSplit("  signatures and attestations (crypto)", reports, r -> r.timings().verifyMillis(), out);
        printSplit("  policy evaluation", reports, r -> r.timings().policyMillis(), out);
        return last;
    }

    private static void printSplit(String what, List<VerificationReport> reports, ToLongFunction<VerificationReport> millis, PrintWriter out) {
        Samples s = Samples.of(reports.stream().map(r -> millis.applyAsLong(r) * 1_000_000).toList());
        out.printf(Locale.ROOT, "%-40s p50 %7.1f ms  p99 %7.1f ms%n", what, s.millis(50), s.millis(99));
    }

    /** The hardened bundle on the sample's policy input grown to 2,000 findings and 5,000 components. */
    private void regoDefaultBundle(JsonNode sampleInput, PrintWriter out) throws Exception {
        ObjectNode input = sampleInput.deepCopy();
        int findings = grow(input, "findings", 2_000);
        int components = grow(input, "components", 5_000);
        PolicyBundle bundle = PolicyBundle.hardened();
        int runs = shortMode ? 20 : 200;
        for (int i = 0; i < Math.max(5, runs / 4); i++) {
            bundle.evaluate(input, line -> { });
        }
        List<Long> times = new ArrayList<>();
        String outcome = "";
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            outcome = bundle.evaluate(input, line -> { }).outcome().name();
            times.add(System.nanoTime() - t);
        }
        Samples s = Samples.of(times);
        out.printf(Locale.ROOT, "rego default bundle (%d findings, %d components, %s)  %d runs  %8.1f evaluations/s  p50 %7.2f ms  p99 %7.2f ms%n",
                findings, components, outcome, runs, s.perSecond(), s.millis(50), s.millis(99));
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

    /** A new JVM verifying the image once: plain, then with an AppCDS archive created by the first run and used by the rest. */
    private void coldStarts(String image, Path trust, Path root, PrintWriter out) throws Exception {
        Path launcher = java != null ? java : Path.of(System.getProperty("java.home"), "bin", "java");
        int runs = shortMode ? 2 : 5;
        List<String> verify = List.of("-cp", System.getProperty("java.class.path"), Gatehouse.class.getName(), "verify", image,
                "--trust-config", trust.resolve(SampleTrust.TRUST_CONFIG).toString(),
                "--trusted-builders", trust.resolve(SampleTrust.TRUSTED_BUILDERS).toString(), "--format", "json");
        Samples plain = coldStart(launcher, List.of("-Xshare:auto"), verify, runs);
        out.printf(Locale.ROOT, "JVM start to first decision, plain     %d runs  p50 %7.0f ms  max %7.0f ms%n", runs, plain.millis(50), plain.millis(100));
        Path archive = root.resolve("gatehouse.jsa");
        List<String> cds = List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive);
        try {
            coldStart(launcher, cds, verify, 1);
        } catch (IllegalStateException e) {
            out.println("JVM start to first decision, AppCDS    not measured: " + e.getMessage());
            return;
        }
        Samples withCds = coldStart(launcher, cds, verify, runs);
        out.printf(Locale.ROOT, "JVM start to first decision, AppCDS    %d runs  p50 %7.0f ms  max %7.0f ms  (%.2fx faster)%n", runs,
                withCds.millis(50), withCds.millis(100), plain.millis(50) / withCds.millis(50));
    }

    private static Samples coldStart(Path launcher, List<String> jvmFlags, List<String> args, int runs) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            List<String> command = new ArrayList<>();
            command.add(launcher.toString());
            command.addAll(jvmFlags);
            command.addAll(args);
            long t = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            String err = new String(process.getErrorStream().readAllBytes());
            int exit = process.waitFor();
            times.add(System.nanoTime() - t);
            if (exit != 0) {
                throw new IllegalStateException("exit " + exit + ": " + err.lines().filter(l -> !l.isBlank()).findFirst().orElse(""));
            }
        }
        return Samples.of(times);
    }
}
