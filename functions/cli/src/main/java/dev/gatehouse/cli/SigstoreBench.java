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
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Sigstore bundle verifications per second on the sigstore-conformance cases that must verify,
 * through Gatehouse's {@link SigstoreBundleVerifier} and through sigstore-js in a Node process, in
 * the same run and on the same bundles. Both sides verify offline against the case's trusted root
 * (parsed once, as a long-running verifier would), parse the bundle JSON and verify it once per
 * case per round, and warm up for the same number of rounds and at least the same time first.
 */
final class SigstoreBench {

    private static final String SCRIPT = "bench/sigstore-js-verify.cjs";
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** What the Node side measured: round times, and the cases it could not verify with the reason. */
    private record NodeResult(String version, BenchSamples rounds, Map<String, String> failed) {}

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

        NodeResult node = sigstoreJs(cases.stream().filter(c -> !gatehouseFailed.contains(c.name())).toList());
        List<Prepared> shared = node == null ? prepared : prepared.stream().filter(p -> !node.failed().containsKey(p.name())).toList();
        BenchSamples java = rounds(shared);
        print("gatehouse", shared.size(), java);
        if (node == null) {
            return;
        }
        print("sigstore-js " + node.version(), shared.size(), node.rounds());
        node.failed().forEach((name, reason) -> out.println("  sigstore-js did not verify " + name + " (left out of both sides): " + reason));
        out.printf(Locale.ROOT, "  ratio gatehouse / sigstore-js (bundles/s, p50): %.2fx%n", node.rounds().millis(50) / java.millis(50));
    }

    private void print(String who, int bundles, BenchSamples rounds) {
        out.printf(Locale.ROOT, "  %-20s %2d bundles  %8.1f bundles/s  p50 %7.2f ms/round  p99 %7.2f ms/round%n",
                who, bundles, bundles * 1000 / rounds.millis(50), rounds.millis(50), rounds.millis(99));
    }

    private BenchSamples rounds(List<Prepared> cases) throws Exception {
        long warmupEnd = System.nanoTime() + warmupNanos;
        for (int r = 0; r < rounds || System.nanoTime() < warmupEnd; r++) {
            for (Prepared p : cases) {
                p.verifyOnce();
            }
        }
        List<Long> times = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (Prepared p : cases) {
                if (!p.verifyOnce()) {
                    throw new IllegalStateException("sigstore bundle " + p.name() + " verified once, then not");
                }
            }
            times.add(System.nanoTime() - start);
        }
        return BenchSamples.of(times);
    }

    /** The same cases through sigstore-js, or null (with the reason printed) when Node or sigstore-js is missing. */
    private NodeResult sigstoreJs(List<SigstoreConformanceCases.Case> cases) throws Exception {
        if (!Files.isRegularFile(sigstoreJs.resolve("sigstore/package.json"))) {
            out.println("  sigstore-js: not measured: no sigstore package under " + sigstoreJs
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
        Path stdout = dir.resolve("out.json");
        Process process;
        try {
            process = new ProcessBuilder("node", script.toString(), sigstoreJs.toAbsolutePath().toString(), casesFile.toString(),
                    Integer.toString(rounds), Long.toString(TimeUnit.NANOSECONDS.toMillis(warmupNanos)))
                    .redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (java.io.IOException e) {
            out.println("  sigstore-js: not measured: cannot run node: " + e.getMessage());
            return null;
        }
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            out.println("  sigstore-js: failed: " + err.lines().filter(l -> !l.isBlank()).findFirst().orElse("exit " + process.exitValue()));
            return null;
        }
        JsonNode result = JSON.readTree(stdout.toFile());
        List<Long> times = new ArrayList<>();
        result.get("roundNanos").forEach(n -> times.add(n.asLong()));
        Map<String, String> failed = new java.util.LinkedHashMap<>();
        for (JsonNode c : result.get("cases")) {
            if (!c.get("verified").asBoolean()) {
                failed.put(c.get("name").asText(), c.path("error").asText());
            }
        }
        return new NodeResult(result.get("version").asText(), BenchSamples.of(times), failed);
    }
}
