package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file the CLI reads, fed the malformations a reviewer tries first: each run fails with its
 * command's error exit code and one line naming the place (the file, a line and column or a JSON
 * pointer), never a stack trace, a Java class name or a message that quotes a megabyte of input.
 */
class MalformedInputCliTest {

    @TempDir
    static Path dir;

    /** A command line with {@code {F}} where the malformed file goes, and the exit codes that mean "refused". */
    record Input(String name, List<String> args, Set<Integer> refused) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Malformation(String name, byte[] content) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> inputsAndMalformations() throws Exception {
        Path sibling = Files.createDirectories(dir.resolve("valid"));
        Path scan = Files.writeString(sibling.resolve("trivy.json"), """
                {"SchemaVersion": 2, "ArtifactName": "app", "Results": []}""");
        Path vex = Files.writeString(sibling.resolve("openvex.json"), """
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://x/1", "author": "a", "timestamp": "2026-01-01T00:00:00Z",
                 "version": 1, "statements": []}""");
        Path key = Files.writeString(sibling.resolve("key.pub"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        Path report = Files.writeString(sibling.resolve("report.json"), "{}");
        String digest = "sha256:" + "ab".repeat(32);
        Set<Integer> error = Set.of(2);
        // slsa-verifier reports an unreadable payload as a verification failure (1); I/O errors are 2.
        Set<Integer> verifierOrError = Set.of(1, 2);
        List<Input> inputs = List.of(
                new Input("sbom validate", List.of("sbom", "validate", "{F}"), verifierOrError),
                new Input("sbom inventory", List.of("sbom", "inventory", "{F}"), error),
                new Input("vex filter --vex", List.of("vex", "filter", "--vex", "{F}", scan.toString()), error),
                new Input("vex filter SCAN", List.of("vex", "filter", "--vex", vex.toString(), "{F}"), error),
                new Input("verify-provenance --provenance-path", List.of("verify-provenance", "--provenance-path", "{F}",
                        "--source-uri", "github.com/acme/app", "--artifact-digest", digest), verifierOrError),
                new Input("verify-provenance --trusted-builders", List.of("verify-provenance", "--provenance-path", report.toString(),
                        "--source-uri", "github.com/acme/app", "--artifact-digest", digest, "--trusted-builders", "{F}"), error),
                new Input("verify-bundle --bundle", List.of("verify-bundle", "--bundle", "{F}", "--key", key.toString(), digest), error),
                new Input("verify-bundle --trusted-root", List.of("verify-bundle", "--bundle", report.toString(), "--trusted-root", "{F}",
                        "--certificate-identity", "a", "--certificate-oidc-issuer", "b", digest), error),
                new Input("verify-vsa --attestation-path", List.of("verify-vsa", "--attestation-path", "{F}", "--public-key-path", key.toString(),
                        "--subject-digest", digest), verifierOrError),
                new Input("verify-report --signature", List.of("verify-report", report.toString(), "--signature", "{F}", "--key", key.toString()), error),
                new Input("events parse", List.of("events", "parse", "{F}"), error),
                new Input("policy eval --input", List.of("policy", "eval", "--input", "{F}", "input"), error));
        byte[] binary = new byte[512];
        new Random(7).nextBytes(binary);
        List<Malformation> malformations = List.of(
                new Malformation("empty file", new byte[0]),
                new Malformation("not JSON", "this is not json\n".getBytes(StandardCharsets.UTF_8)),
                new Malformation("truncated", "{\"a\": [1, {\"b\": \"c".getBytes(StandardCharsets.UTF_8)),
                new Malformation("binary", binary),
                new Malformation("10,000 levels deep", ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8)),
                new Malformation("two documents", "{\"a\": 1}\n{\"a\": 2}".getBytes(StandardCharsets.UTF_8)),
                new Malformation("5,000-digit number", "9".repeat(5000).getBytes(StandardCharsets.UTF_8)),
                new Malformation("directory", null),
                new Malformation("missing file", new byte[] {'-'}));
        List<Arguments> out = new ArrayList<>();
        for (Input input : inputs) {
            for (Malformation m : malformations) {
                out.add(Arguments.of(input, m));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("inputsAndMalformations")
    void malformedInputIsRefusedWithOneLineNamingThePlace(Input input, Malformation malformation) throws Exception {
        Path file = dir.resolve(input.name().replace(' ', '_') + "-" + malformation.name().replace(' ', '_'));
        if (malformation.content() == null) {
            Files.createDirectories(file);
        } else if (!malformation.name().equals("missing file")) {
            Files.write(file, malformation.content());
        }
        String[] args = input.args().stream().map(a -> a.replace("{F}", file.toString())).toArray(String[]::new);

        CliRun run = CliRun.of(args);

        String first = run.firstErrorLine();
        assertThat(run.exitCode()).as(run.err()).isIn(input.refused());
        assertThat(run.err()).as("stderr").doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("java.")
                .doesNotContain("com.fasterxml").doesNotContain("`");
        assertThat(first.length()).as(first).isLessThan(1000);
        boolean placeNamed = first.contains(file.toString()) || first.contains("line ") || first.matches(".* at /.*");
        String problem = run.exitCode() == 1 && run.err().isBlank() ? run.out() : first;
        assertThat(placeNamed || problem.contains(file.toString())).as(first).isTrue();
        assertThat(Arrays.stream(run.err().split("\n")).filter(l -> !l.isBlank()).count())
                .as(run.err()).isLessThanOrEqualTo(2);
    }
}
