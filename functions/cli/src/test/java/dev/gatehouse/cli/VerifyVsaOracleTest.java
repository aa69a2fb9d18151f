package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.testing.Oracles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * slsa-verifier's VSA cases (oracles/slsa-provenance, MANIFEST table A8) through
 * {@code gatehouse verify-vsa}, and for every VSA in testdata/vsa (an envelope with the one PEM key
 * beside it) the outcomes slsa-verifier's verify-vsa gives (verifiers/internal/vsa, read upstream):
 * the values the VSA states verify; another key id, no key id when the signature names one, a
 * changed payload, a digest, verifier id or resource URI it does not state, or a SLSA level above
 * the one it states each fail with slsa-verifier's error name.
 */
class VerifyVsaOracleTest {

    private static final String PASS = "PASS";

    private record Case(String name, List<String> args, String expected) {}

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> slsaVerifierVsaCases() throws IOException {
        Path root = Oracles.require("slsa-provenance/slsa-verifier/testdata/vsa");
        List<Path> envelopes;
        try (Stream<Path> files = Files.walk(root)) {
            envelopes = files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        assumeTrue(!envelopes.isEmpty(), "no VSA in " + root);
        List<Case> cases = new ArrayList<>();
        manifestTable(root, cases);
        for (Path envelope : envelopes) {
            derived(envelope, cases);
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name + " -> " + c.expected, () -> check(c)));
    }

    /** MANIFEST A8, as upstream's Test_runVerifyVSA states it. */
    private void manifestTable(Path root, List<Case> cases) {
        Path dir = root.resolve("gce/v1");
        Path vsa = dir.resolve("gke-gce-pre.bcid-vsa.jsonl");
        if (!Files.exists(vsa)) {
            return;
        }
        List<String> base = List.of("verify-vsa", "--attestation-path", vsa.toString(), "--public-key-path",
                dir.resolve("vsa_signing_public_key.pem").toString());
        cases.add(new Case("A8 gke", plus(base, "--subject-digest", "gce_image_id:8970095005306000053",
                "--verifier-id", "https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1",
                "--resource-uri", "gce_image://gke-node-images:gke-12615-gke1418000-cos-101-17162-463-29-c-cgpv1-pre",
                "--verified-level", "BCID_L1", "--verified-level", "SLSA_BUILD_LEVEL_2",
                "--public-key-id", "keystore://76574:prod:vsa_signing_public_key"), PASS));
        cases.add(new Case("A8 gke empty key id", plus(base, "--public-key-id", ""), "ErrorNoValidSignature"));
        cases.add(new Case("A8 gke wrong key id", plus(base, "--public-key-id", "my_key_id"), "ErrorNoValidSignature"));
    }

    /** The cases every VSA with its key gives, from what the VSA itself states. */
    private void derived(Path envelopePath, List<Case> cases) throws IOException {
        List<Path> keys;
        try (Stream<Path> files = Files.list(envelopePath.getParent())) {
            keys = files.filter(p -> p.toString().endsWith(".pem")).toList();
        }
        if (keys.size() != 1) {
            return;
        }
        String name = envelopePath.getFileName().toString();
        ObjectNode envelope = (ObjectNode) UntrustedJson.mapper().readTree(envelopePath.toFile());
        JsonNode statement = UntrustedJson.mapper().readTree(Base64.getDecoder().decode(envelope.get("payload").asText()));
        JsonNode predicate = statement.path("predicate");
        String keyId = envelope.path("signatures").path(0).path("keyid").asText("");
        List<String> digests = new ArrayList<>();
        for (JsonNode subject : statement.path("subject")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = subject.path("digest").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> d = it.next();
                digests.add(d.getKey() + ":" + d.getValue().asText());
            }
        }
        List<String> levels = new ArrayList<>();
        Map<String, Integer> highest = new HashMap<>();
        for (JsonNode level : predicate.path("verifiedLevels")) {
            levels.add(level.asText());
            String[] parts = level.asText().split("_");
            if (parts.length == 4 && parts[0].equals("SLSA") && parts[2].equals("LEVEL")) {
                highest.merge(parts[1], Integer.parseInt(parts[3]), Math::max);
            }
        }
        String verifier = predicate.path("verifier").path("id").asText();
        String resource = predicate.path("resourceUri").asText();
        List<String> base = List.of("verify-vsa", "--attestation-path", envelopePath.toString(), "--public-key-path", keys.get(0).toString());

        List<String> expected = new ArrayList<>(base);
        digests.forEach(d -> expected.addAll(List.of("--subject-digest", d)));
        expected.addAll(List.of("--verifier-id", verifier, "--resource-uri", resource, "--public-key-id", keyId));
        List<String> all = new ArrayList<>(expected);
        levels.forEach(l -> all.addAll(List.of("--verified-level", l)));
        cases.add(new Case(name + " as stated", all, PASS));
        cases.add(new Case(name + " another key id", with(all, "--public-key-id", keyId + "-other"),
                "ErrorNoValidSignature"));
        if (!keyId.isEmpty()) {
            cases.add(new Case(name + " default key id", withoutKeyId(all), "ErrorNoValidSignature"));
        }
        cases.add(new Case(name + " unstated digest", plus(expected, "--subject-digest", "sha256:" + "0".repeat(64)),
                "ErrorMissingSubjectDigest"));
        cases.add(new Case(name + " no digest", withoutDigests(expected), "ErrorEmptyRequiredField"));
        cases.add(new Case(name + " other verifier", with(expected, "--verifier-id", verifier + "x"), "ErrorMismatchVerifierID"));
        cases.add(new Case(name + " other resource", with(expected, "--resource-uri", resource + "x"), "ErrorMismatchResourceURI"));
        highest.forEach((track, level) -> cases.add(new Case(name + " " + track + " above stated",
                plus(expected, "--verified-level", "SLSA_" + track + "_LEVEL_" + (level + 1)), "ErrorMismatchVerifiedLevels")));
        cases.add(new Case(name + " unstated level", plus(expected, "--verified-level", "GATEHOUSE_UNSTATED"), "ErrorMismatchVerifiedLevels"));

        String payload = new String(Base64.getDecoder().decode(envelope.get("payload").asText()), StandardCharsets.UTF_8);
        ObjectNode tampered = envelope.deepCopy();
        tampered.put("payload", Base64.getEncoder().encodeToString(payload.replace(verifier, verifier + "x")
                .getBytes(StandardCharsets.UTF_8)));
        Path tamperedPath = tmp.resolve("tampered-" + name);
        Files.write(tamperedPath, UntrustedJson.mapper().writeValueAsBytes(tampered));
        List<String> tamperedArgs = new ArrayList<>(all);
        tamperedArgs.set(tamperedArgs.indexOf("--attestation-path") + 1, tamperedPath.toString());
        cases.add(new Case(name + " tampered payload", tamperedArgs, "ErrorNoValidSignature"));
    }

    private static void check(Case c) {
        CliRun run = CliRun.of(c.args.toArray(String[]::new));
        if (c.expected.equals(PASS)) {
            assertThat(run.exitCode()).as(run.err()).isZero();
        } else {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(VerifyVsaCommand.EXIT_NOT_VERIFIED);
            assertThat(run.firstErrorLine()).contains("(" + c.expected + ")");
        }
    }

    private static List<String> plus(List<String> base, String... more) {
        List<String> a = new ArrayList<>(base);
        a.addAll(List.of(more));
        return a;
    }

    /** {@code args} with the value of a single-valued option replaced. */
    private static List<String> with(List<String> args, String option, String value) {
        List<String> a = new ArrayList<>(args);
        a.set(a.indexOf(option) + 1, value);
        return a;
    }

    private static List<String> withoutKeyId(List<String> args) {
        List<String> a = new ArrayList<>(args);
        int i = a.indexOf("--public-key-id");
        a.remove(i + 1);
        a.remove(i);
        return a;
    }

    private static List<String> withoutDigests(List<String> args) {
        List<String> a = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--subject-digest")) {
                i++;
            } else {
                a.add(args.get(i));
            }
        }
        return a;
    }
}
