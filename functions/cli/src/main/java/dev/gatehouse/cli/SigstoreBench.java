package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.signature.CertificateIdentity;
import dev.gatehouse.signature.CertificateIdentity.StringMatch;
import dev.gatehouse.signature.PublicKeys;
import dev.gatehouse.signature.SignerExpectation;
import dev.gatehouse.signature.SigstoreBundle;
import dev.gatehouse.signature.SigstoreBundleVerifier;
import dev.gatehouse.signature.SigstoreBundleVerifier.Artifact;
import dev.gatehouse.signature.TrustedRoot;
import dev.gatehouse.signature.VerificationOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sigstore bundle verifications per second on the sigstore-conformance cases that must verify,
 * through Gatehouse's {@link SigstoreBundleVerifier} and through sigstore-js in a Node process, on
 * the same bundles in the same run. Both verify offline against the case's trusted root (parsed
 * once, as a long-running verifier holds it), parse the bundle JSON and verify it once per case per
 * round, and warm up for as many rounds as they measure and at least the same time. The measured rounds
 * alternate, one Gatehouse round then one sigstore-js round, so a change in the machine's load
 * between them hits both sides alike; the ratio is given per pair of rounds.
 */
final class SigstoreBench {

    private static final String SCRIPT = "bench/sigstore-js-verify.cjs";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A round of a few dozen bundles takes milliseconds; this is only a bound on a Node that hangs. */
    private static final long REPLY_TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(2);

    private final Path oracles;
    private final Path sigstoreJs;
    private final Path workDir;
    private final int rounds;
    private final long warmupNanos;
    private final PrintWriter out;

    /** A case ready to verify: bytes read, root parsed, expectation built. */
    private record Prepared(String name, byte[] bundle, Artifact artifact, SigstoreBundleVerifier verifier, SignerExpectation expected) {
        boolean verifyOnce() throws Exception {
            return verifier.verify(SigstoreBundle.parse(bundle), artifact, expected) instanceof VerificationOutcome.Verified;
        }
    }

    SigstoreBench(Path oracles, Path sigstoreJs, Path workDir, int rounds, long warmupNanos, PrintWriter out) {
        this.oracles = oracles;
        this.sigstoreJs = sigstoreJs;
        this.workDir = workDir;
        this.rounds = rounds;
        this.warmupNanos = warmupNanos;
        this.out = out;
    }

    void run() throws Exception {
        List<SigstoreConformanceCases.Case> cases = SigstoreConformanceCases.happyPaths(oracles);
        if (cases.isEmpty()) {
            out.println("sigstore bundles: not measured: no sigstore-conformance cases under " + oracles
                    + " (--oracles DIR, or -Dgatehouse.oracles)");
            return;
        }
        Map<Path, TrustedRoot> roots = new HashMap<>();
        List<Prepared> prepared = new ArrayList<>();
        Set<String> gatehouseFailed = new LinkedHashSet<>();
        for (SigstoreConformanceCases.Case c : cases) {
            TrustedRoot root = roots.get(c.trustedRoot());
            if (root == null) {
                root = TrustedRoot.load(c.trustedRoot());
                roots.put(c.trustedRoot(), root);
            }
            SignerExpectation expected = c.key() != null
                    ? new SignerExpectation.Key(PublicKeys.read(c.key()), c.key().getFileName().toString())
                    : new SignerExpectation.Identity(new CertificateIdentity(StringMatch.exact(c.identity()), StringMatch.exact(c.issuer())));
            Prepared p = new Prepared(c.name(), Files.readAllBytes(c.bundle()), Artifact.ofBytes(Files.readAllBytes(c.artifact())),
                    new SigstoreBundleVerifier(root), expected);
            if (p.verifyOnce()) {
                prepared.add(p);
            } else {
                gatehouseFailed.add(c.name());
            }
        }
        out.printf(Locale.ROOT, "sigstore bundles (%d sigstore-conformance happy paths, offline trusted roots, %d rounds of every bundle)%n",
                cases.size(), rounds);
        if (!gatehouseFailed.isEmpty()) {
            out.println("  gatehouse did not verify (left out of both sides): " + String.join(", ", gatehouseFailed));
        }

        List<SigstoreConformanceCases.Case> verified = cases.stream().filter(c -> !gatehouseFailed.contains(c.name())).toList();
        try (SigstoreJs node = SigstoreJs.start(sigstoreJs, workDir, verified, rounds, warmupNanos, out)) {
            List<Prepared> shared = node == null ? prepared
                    : prepared.stream().filter(p -> !node.failed().containsKey(p.name())).toList();
            warmUp(shared);
            List<Long> java = new ArrayList<>();
            List<Long> js = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                java.add(round(shared));
                if (node != null) {
                    js.add(node.round());
                }
            }
            BenchSamples javaRounds = BenchSamples.of(java);
            print("gatehouse", shared.size(), javaRounds);
            if (node == null) {
                return;
            }
            BenchSamples jsRounds = BenchSamples.of(js);
            print("sigstore-js " + node.version(), shared.size(), jsRounds);
            node.failed().forEach((name, reason) -> out.println("  sigstore-js did not verify " + name + " (left out of both sides): " + reason));
            // Ratios of paired rounds, scaled to nanoseconds so BenchSamples can order them.
            List<Long> pairRatios = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                pairRatios.add(js.get(r) * 1_000_000 / java.get(r));
            }
            BenchSamples ratios = BenchSamples.of(pairRatios);
            out.printf(Locale.ROOT, "  ratio gatehouse / sigstore-js (bundles/s): %.2fx (p50 of %d paired rounds; min %.2fx, max %.2fx)%n",
                    ratios.millis(50), rounds, ratios.millis(0), ratios.millis(100));
        }
    }

    private void print(String who, int bundles, BenchSamples rounds) {
        out.printf(Locale.ROOT, "  %-20s %2d bundles  %8.1f bundles/s  p50 %7.2f ms/round  p99 %7.2f ms/round%n",
                who, bundles, bundles * 1000 / rounds.millis(50), rounds.millis(50), rounds.millis(99));
    }

    private void warmUp(List<Prepared> cases) throws Exception {
        long warmupEnd = System.nanoTime() + warmupNanos;
        for (int r = 0; r < rounds || System.nanoTime() < warmupEnd; r++) {
            round(cases);
        }
    }

    private static long round(List<Prepared> cases) throws Exception {
        long start = System.nanoTime();
        for (Prepared p : cases) {
            if (!p.verifyOnce()) {
                throw new IllegalStateException("sigstore bundle " + p.name() + " verified once, then not");
            }
        }
        return System.nanoTime() - start;
    }

    /** sigstore-js in a Node process, warm, verifying one round per request. */
    private static final class SigstoreJs implements AutoCloseable {

        private final Process process;
        private final BufferedReader replies;
        private final Writer requests;
        private final String version;
        private final Map<String, String> failed;

        private SigstoreJs(Process process, BufferedReader replies, String version, Map<String, String> failed) {
            this.process = process;
            this.replies = replies;
            this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.version = version;
            this.failed = failed;
        }

        /** Started and warm, or null (with the reason printed) when Node or sigstore-js is missing or fails. */
        static SigstoreJs start(Path modules, Path workDir, List<SigstoreConformanceCases.Case> cases, int rounds, long warmupNanos,
                PrintWriter out) throws IOException, InterruptedException {
            if (!Files.isRegularFile(modules.resolve("sigstore/package.json"))) {
                out.println("  sigstore-js: not measured: no sigstore package under " + modules
                        + " (--sigstore-js NODE_MODULES; .ci/run installs sigstore@4.1.1 in .ci/tools/sigstore-js)");
                return null;
            }
            Path dir = Files.createDirectories(workDir.resolve("sigstore-js"));
            Path script = dir.resolve("sigstore-js-verify.cjs");
            try (InputStream in = SigstoreBench.class.getResourceAsStream(SCRIPT)) {
                Files.copy(in, script);
            }
            ArrayNode list = JSON.createArrayNode();
            for (SigstoreConformanceCases.Case c : cases) {
                ObjectNode o = list.addObject().put("name", c.name()).put("bundle", c.bundle().toString())
                        .put("artifact", c.artifact().toString()).put("trustedRoot", c.trustedRoot().toString());
                if (c.key() != null) {
                    o.put("key", c.key().toString());
                } else {
                    o.put("identity", c.identity()).put("issuer", c.issuer());
                }
            }
            Path casesFile = dir.resolve("cases.json");
            JSON.writeValue(casesFile.toFile(), list);
            Path errors = dir.resolve("node.err");
            Process process;
            try {
                process = new ProcessBuilder("node", script.toString(), modules.toAbsolutePath().toString(), casesFile.toString(),
                        Integer.toString(rounds), Long.toString(TimeUnit.NANOSECONDS.toMillis(warmupNanos)))
                        .redirectError(errors.toFile()).start();
            } catch (IOException e) {
                out.println("  sigstore-js: not measured: cannot run node: " + e.getMessage());
                return null;
            }
            BufferedReader replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first;
            try {
                // Node warms up for as long as the Java side before it answers.
                first = readLine(replies, TimeUnit.NANOSECONDS.toMillis(warmupNanos) + REPLY_TIMEOUT_MILLIS);
            } catch (IOException e) {
                process.destroyForcibly();
                out.println("  sigstore-js: failed: " + e.getMessage());
                return null;
            }
            if (first == null) {
                process.waitFor(10, TimeUnit.SECONDS);
                out.println("  sigstore-js: failed: " + Files.readAllLines(errors).stream().filter(l -> !l.isBlank()).findFirst()
                        .orElse("no output"));
                process.destroyForcibly();
                return null;
            }
            JsonNode ready = JSON.readTree(first);
            Map<String, String> failed = new LinkedHashMap<>();
            for (JsonNode c : ready.get("cases")) {
                if (!c.get("verified").asBoolean()) {
                    failed.put(c.get("name").asText(), c.path("error").asText());
                }
            }
            return new SigstoreJs(process, replies, ready.get("version").asText(), failed);
        }

        String version() {
            return version;
        }

        Map<String, String> failed() {
            return failed;
        }

        /** Nanoseconds of one round in Node. */
        long round() throws IOException, InterruptedException {
            requests.write("round\n");
            requests.flush();
            String line = readLine(replies, REPLY_TIMEOUT_MILLIS);
            if (line == null) {
                throw new IOException("sigstore-js exited during a round");
            }
            return Long.parseLong(line.trim());
        }

        /** The next line from Node, waiting at most {@code millis}: a Node that hangs ends the bench instead of stalling CI. */
        private static String readLine(BufferedReader replies, long millis) throws IOException, InterruptedException {
            FutureTask<String> read = new FutureTask<>(replies::readLine);
            Thread reader = new Thread(read, "sigstore-js-reply");
            reader.setDaemon(true);
            reader.start();
            try {
                return read.get(millis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IOException("no answer from sigstore-js within " + millis + " ms");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }

        @Override
        public void close() throws InterruptedException {
            try {
                requests.close();
            } catch (IOException e) {
                // Node has gone already; it is stopped below either way.
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
