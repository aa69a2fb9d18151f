package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.oci.testing.Oracles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * slsa-verifier's regression cases (oracles/slsa-provenance, MANIFEST tables A1-A6) through
 * {@code gatehouse verify-provenance}: each case must pass or fail with slsa-verifier's error
 * name. Artifacts left out of the oracle are checked by the digest listed in
 * OMITTED_ARTIFACT_DIGESTS.txt via {@code --artifact-digest}. Bare DSSE envelopes have no log
 * proof offline: cases expecting ErrorRekorSearch run without {@code --insecure-ignore-tlog}, the
 * others with it; builders referenced at a branch of the builder's own test repository need
 * {@code --insecure-allow-testing-builder-refs} (upstream sets SLSA_VERIFIER_TESTING). Groups
 * whose data is not in the oracle folder are skipped.
 */
class VerifyProvenanceOracleTest {

    private static final String PASS = "PASS";
    private static final String GENERATOR = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/";
    private static final String EXAMPLE = "github.com/slsa-framework/example-package";
    private static final List<String> WRONG_SOURCES = List.of("github.com/slsa-framework/example-packageA",
            "Agithub.com/slsa-framework/example-package", "github.com/Aslsa-framework/example-package");

    private record Case(String name, List<String> args, String expected) {}

    private Path root;
    private Path trustedRoot;
    private final Map<String, String> omitted = new HashMap<>();

    @TestFactory
    Stream<DynamicTest> slsaVerifierCases() throws IOException {
        root = Oracles.require("slsa-provenance/slsa-verifier");
        trustedRoot = Oracles.require("sigstore-trusted-root/production/trusted_root.json");
        for (String line : Files.readAllLines(root.resolve("OMITTED_ARTIFACT_DIGESTS.txt"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                omitted.put(f[2], f[0]);
            }
        }
        List<Case> cases = new ArrayList<>();
        container(cases);
        gcb(cases);
        generic(cases, "gha_generic/v2.1.0/binary-linux-amd64-", ".intoto.jsonl", null, "ErrorUntrustedReusableWorkflow");
        generic(cases, "gha_delegator/v2.1.0/binary-linux-amd64-", ".build.slsa",
                "https://github.com/slsa-framework/example-trw/.github/workflows/builder_high-perms_slsa3.yml", "ErrorMismatchBuilderID");
        generic(cases, "gha_container-based/v2.1.0/binary-linux-amd64-", ".intoto.build.slsa", null, "ErrorUntrustedReusableWorkflow");
        special(cases);
        githubAttestations(cases);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name + " -> " + c.expected, () -> check(c)));
    }

    private void check(Case c) {
        CliRun run = CliRun.of(c.args.toArray(String[]::new));
        if (c.expected.equals(PASS)) {
            assertThat(run.exitCode()).as(run.err()).isZero();
        } else {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(VerifyProvenanceCommand.EXIT_NOT_VERIFIED);
            assertThat(run.firstErrorLine()).contains("(" + c.expected + ")");
        }
    }

    private List<String> args(String... more) {
        List<String> a = new ArrayList<>(List.of("verify-provenance", "--trusted-root", trustedRoot.toString()));
        a.addAll(List.of(more));
        return a;
    }

    private static List<String> plus(List<String> base, String... more) {
        List<String> a = new ArrayList<>(base);
        a.addAll(List.of(more));
        return a;
    }

    private void container(List<Case> cases) {
        Path layout = root.resolve("testdata/gha_generic_container/v2.1.0/container_workflow_dispatch");
        if (!Files.isDirectory(layout)) {
            return;
        }
        List<String> base = args("--image", "oci:" + layout);
        String builder = GENERATOR + "generator_container_slsa3.yml";
        cases.add(new Case("container default", plus(base, "--source-uri", EXAMPLE), PASS));
        for (String b : List.of(builder, builder + "@v2.1.0", builder + "@refs/tags/v2.1.0")) {
            cases.add(new Case("container builder " + b, plus(base, "--source-uri", EXAMPLE, "--builder-id", b), PASS));
        }
        cases.add(new Case("container branch main", plus(base, "--source-uri", EXAMPLE, "--source-branch", "main"), PASS));
        cases.add(new Case("container untrusted builder", plus(base, "--source-uri", EXAMPLE, "--builder-id", GENERATOR + "not-trusted.yml"),
                "ErrorUntrustedReusableWorkflow"));
        cases.add(new Case("container branch master", plus(base, "--source-uri", EXAMPLE, "--source-branch", "master"), "ErrorMismatchBranch"));
        for (String s : WRONG_SOURCES) {
            cases.add(new Case("container source " + s, plus(base, "--source-uri", s), "ErrorMismatchSource"));
        }
        cases.add(new Case("container tag", plus(base, "--source-uri", EXAMPLE, "--source-tag", "v1.2.3"), "ErrorInvalidRef"));
        cases.add(new Case("container versioned tag", plus(base, "--source-uri", EXAMPLE, "--source-versioned-tag", "v1"), "ErrorInvalidRef"));
    }

    private void gcb(List<Case> cases) throws IOException {
        Path dir = root.resolve("testdata/gcb_container/v0.3");
        if (!Files.isDirectory(dir)) {
            return;
        }
        String builder = "https://cloudbuild.googleapis.com/GoogleHostedWorker";
        String source = "github.com/laurentsimon/gcb-tests";
        String image = image(dir.resolve("gcloud-container-github.json"));
        cases.add(gcbCase(dir, "github", image, source, builder, PASS));
        cases.add(gcbCase(dir, "github", image, source, builder + "@v0.3", PASS));
        cases.add(gcbCase(dir, "gcs", image(dir.resolve("gcloud-container-gcs.json")),
                "gs://slsa-tooling_cloudbuild/source/1663616632.078353-fc7db143dcc64b5f9fe71d0497125ca1.tgz", builder, PASS));
        cases.add(gcbCase(dir, "github", image, source, builder + "@v0.4", "ErrorMismatchBuilderID"));
        cases.add(gcbCase(dir, "github", image, source, builder + "a", "ErrorVerifierNotSupported"));
        for (String s : List.of("github.com/laurentsimon/name", "github.com/org/gcb-tests", "gitlab.com/laurentsimon/gcb-tests")) {
            cases.add(gcbCase(dir, "github", image, s, builder, "ErrorMismatchSource"));
        }
        for (String f : List.of("mismatch-payload-digest", "mismatch-payload-builderid", "invalid-signature-encoding", "empty-signature",
                "invalid-signature-region", "empty-signature-region", "invalid-keyid", "empty-keyid", "no-keyid",
                "multiple-invalid-signatures", "multiple-invalid-provenance")) {
            cases.add(gcbCase(dir, f, image, source, builder, "ErrorNoValidSignature"));
        }
        cases.add(gcbCase(dir, "no-signature", image, source, builder, "ErrorInvalidDssePayload"));
        for (String f : List.of("mismatch-summary-digest", "mismatch-metadata-urisha256")) {
            cases.add(gcbCase(dir, f, image, source, builder, "ErrorMismatchHash"));
        }
        for (String f : List.of("mismatch-text-digest", "mismatch-text-steps")) {
            cases.add(gcbCase(dir, f, image, source, builder, "ErrorMismatchIntoto"));
        }
        cases.add(gcbCase(dir, "mismatch-metadata-kind", image, source, builder, "ErrorInvalidFormat"));
        for (String f : List.of("multiple-signatures-2ndvalid", "multiple-signatures-3rdvalid", "multiple-provenance-2ndvalid",
                "multiple-provenance-3rdvalid")) {
            cases.add(gcbCase(dir, f, image, source, builder, PASS));
        }
        String tagImage = image(dir.resolve("gcloud-container-github-tag.json"));
        List<String> tagBase = List.of("verify-provenance", "--provenance-path", dir.resolve("gcloud-container-github-tag.json").toString(),
                "--image", tagImage, "--builder-id", builder, "--source-uri", EXAMPLE);
        cases.add(new Case("gcb tag v33.0.4", plus(tagBase, "--source-tag", "v33.0.4"), PASS));
        for (String v : List.of("v33", "v33.0", "v33.0.4")) {
            cases.add(new Case("gcb versioned tag " + v, plus(tagBase, "--source-versioned-tag", v), PASS));
        }
        for (String v : List.of("v34.0.4", "v33.1.4", "v33.0.5")) {
            cases.add(new Case("gcb tag " + v, plus(tagBase, "--source-tag", v), "ErrorMismatchTag"));
        }
        for (String v : List.of("v33.0.5", "v33.1", "v35")) {
            cases.add(new Case("gcb versioned tag " + v, plus(tagBase, "--source-versioned-tag", v), "ErrorMismatchVersionedTag"));
        }
    }

    /** The image a Cloud Build provenance file was made for, as its summary names it. */
    private static String image(Path file) throws IOException {
        var summary = dev.gatehouse.io.UntrustedJson.mapper().readTree(Files.readString(file).replaceAll(",\\s*}", "}"))
                .path("image_summary");
        return summary.path("fully_qualified_digest").asText();
    }

    private static Case gcbCase(Path dir, String file, String image, String source, String builder, String expected) {
        return new Case("gcb " + file + " source " + source + " builder " + builder, List.of("verify-provenance", "--provenance-path",
                dir.resolve("gcloud-container-" + file + ".json").toString(), "--image", image, "--builder-id", builder,
                "--source-uri", source), expected);
    }

    /** The A3 matrix, for one layout of files; wrong builders fail with {@code wrongBuilder}. */
    private void generic(List<Case> cases, String prefix, String suffix, String builder, String wrongBuilder) {
        if (!Files.exists(root.resolve("testdata/" + prefix + "workflow_dispatch" + suffix))) {
            return;
        }
        String group = prefix.substring(0, prefix.indexOf('/'));
        List<String> dispatch = base(prefix, "workflow_dispatch", suffix, builder);
        cases.add(new Case(group + " dispatch default", plus(dispatch, "--source-uri", EXAMPLE), PASS));
        cases.add(new Case(group + " dispatch branch main", plus(dispatch, "--source-uri", EXAMPLE, "--source-branch", "main"), PASS));
        List<String> noBuilder = base(prefix, "workflow_dispatch", suffix, null);
        cases.add(new Case(group + " dispatch untrusted builder", plus(noBuilder, "--source-uri", EXAMPLE, "--builder-id",
                GENERATOR + "not-trusted.yml"), wrongBuilder));
        cases.add(new Case(group + " dispatch branch master", plus(dispatch, "--source-uri", EXAMPLE, "--source-branch", "master"),
                "ErrorMismatchBranch"));
        for (String s : WRONG_SOURCES) {
            cases.add(new Case(group + " dispatch source " + s, plus(dispatch, "--source-uri", s), "ErrorMismatchSource"));
        }
        cases.add(new Case(group + " dispatch tag", plus(dispatch, "--source-uri", EXAMPLE, "--source-tag", "v1.2.3"), "ErrorInvalidRef"));
        cases.add(new Case(group + " dispatch versioned tag", plus(dispatch, "--source-uri", EXAMPLE, "--source-versioned-tag", "v1"),
                "ErrorInvalidRef"));
        tags(cases, group, base(prefix, "push-v13.0.30", suffix, builder), List.of("v13.0.30", "v13.0", "v13"),
                List.of("v2", "v0", "v13.1", "v12.9", "v13.0.29", "v13.0.31"), List.of("v13.0.29", "v13.0", "v13"));
        tags(cases, group, base(prefix, "push-v14", suffix, builder), List.of("v14", "v14.0"),
                List.of("v14.1", "v13", "v15", "v13.2", "v0"), List.of());
        tags(cases, group, base(prefix, "push-v14.2", suffix, builder), List.of("v14.2", "v14"),
                List.of("v14.2.1", "v14.2.3", "v14.1", "v14.1.1", "v14.3.1", "v13", "v15", "v15.1"), List.of());
    }

    private void tags(List<Case> cases, String group, List<String> base, List<String> pass, List<String> failVersioned, List<String> failTag) {
        String name = group + " " + base.get(base.indexOf("--provenance-path") + 1).replaceAll(".*amd64-", "");
        for (String v : pass) {
            cases.add(new Case(name + " versioned " + v, plus(base, "--source-uri", EXAMPLE, "--source-versioned-tag", v), PASS));
        }
        for (String v : failVersioned) {
            cases.add(new Case(name + " versioned " + v, plus(base, "--source-uri", EXAMPLE, "--source-versioned-tag", v),
                    "ErrorMismatchVersionedTag"));
        }
        for (String v : failTag) {
            cases.add(new Case(name + " tag " + v, plus(base, "--source-uri", EXAMPLE, "--source-tag", v), "ErrorMismatchTag"));
        }
    }

    /** Provenance and artifact (by path when present, else by its listed digest), and the builder when given. */
    private List<String> base(String prefix, String run, String suffix, String builder) {
        List<String> a = args("--provenance-path", root.resolve("testdata/" + prefix + run + suffix).toString());
        a.addAll(artifact(prefix + run));
        if (builder != null) {
            a.addAll(List.of("--builder-id", builder));
        }
        return a;
    }

    private List<String> artifact(String relative) {
        Path file = root.resolve("testdata/" + relative);
        if (Files.exists(file)) {
            return List.of(file.toString());
        }
        String digest = omitted.get(relative);
        assumeTrue(digest != null, "artifact " + relative + " is neither present nor listed in OMITTED_ARTIFACT_DIGESTS.txt");
        return List.of("--artifact-digest", "sha256:" + digest);
    }

    /** A7: GitHub artifact attestations (bundle v0.3, SLSA v1) of the bazel-contrib workflows, trusted only when named. */
    private void githubAttestations(List<Case> cases) {
        if (!Files.isDirectory(root.resolve("testdata/bcr"))) {
            return;
        }
        String publisher = "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml";
        String releaser = "https://github.com/bazel-contrib/.github/.github/workflows/release_ruleset.yaml";
        String source = "github.com/aspect-build/rules_lint";
        cases.add(bcrCase("MODULE.bazel", source, publisher, PASS));
        cases.add(bcrCase("rules_lint-v1.3.1.tar.gz", source, releaser, PASS));
        cases.add(bcrCase("MODULE-wrong-signer.bazel", source, publisher, "ErrorUntrustedReusableWorkflow"));
        cases.add(bcrCase("MODULE.bazel", source, null, "ErrorUntrustedReusableWorkflow"));
        cases.add(bcrCase("rules_lint-v1.3.1.tar.gz", source, null, "ErrorUntrustedReusableWorkflow"));
    }

    private Case bcrCase(String artifact, String source, String builder, String expected) {
        List<String> a = args("--provenance-path", root.resolve("testdata/bcr/" + artifact + ".intoto.jsonl").toString(), "--source-uri", source);
        a.addAll(artifact("bcr/" + artifact));
        if (builder != null) {
            a.addAll(List.of("--builder-id", builder));
        }
        return new Case("bcr " + artifact + " builder " + builder, a, expected);
    }

    private void special(List<Case> cases) {
        String t = "testdata/";
        if (!Files.exists(root.resolve(t + "annotated-tag.intoto.jsonl"))) {
            return;
        }
        List<String> untrusted = args("--provenance-path", root.resolve(t + "binary-linux-amd64-untrusted-builder.intoto.jsonl").toString(),
                "--insecure-ignore-tlog", "--source-uri", "github.com/asraa/slsa-on-github-test");
        untrusted.addAll(artifact("binary-linux-amd64-untrusted-builder"));
        cases.add(new Case("untrusted builder (fork)", untrusted, "ErrorUntrustedReusableWorkflow"));
        for (String f : List.of("expired-cert", "no-tlog-upload")) {
            List<String> a = args("--provenance-path", root.resolve(t + "binary-linux-amd64-" + f + ".intoto.jsonl").toString(),
                    "--source-uri", EXAMPLE);
            a.addAll(artifact("binary-linux-amd64-" + f));
            cases.add(new Case(f, a, "ErrorRekorSearch"));
        }
        List<String> e2e = args("--provenance-path", root.resolve(t + "binary-linux-amd64-e2e-builder-repo.intoto.jsonl").toString(),
                "--insecure-ignore-tlog", "--insecure-allow-testing-builder-refs", "--source-uri", EXAMPLE,
                "--builder-id", GENERATOR + "builder_go_slsa3.yml", "--source-branch", "main");
        e2e.addAll(artifact("binary-linux-amd64-e2e-builder-repo"));
        cases.add(new Case("e2e builder repo", e2e, PASS));
        String first = root.resolve(t + "binary-linux-amd64-multi-subject-first").toString();
        String second = root.resolve(t + "binary-linux-amd64-multi-subject-second").toString();
        for (String provenance : List.of("first", "second")) {
            List<String> base = args("--provenance-path", root.resolve(t + "binary-linux-amd64-multi-subject-" + provenance + ".intoto.jsonl")
                    .toString(), "--insecure-ignore-tlog", "--insecure-allow-testing-builder-refs", "--source-uri", EXAMPLE);
            cases.add(new Case("multi-subject " + provenance + " artifact first", plus(base, first), PASS));
            cases.add(new Case("multi-subject " + provenance + " artifact second", plus(base, second), PASS));
            cases.add(new Case("multi-subject " + provenance + " both", plus(base, first, second), PASS));
            cases.add(new Case("multi-subject " + provenance + " repeated", plus(base, first, first, second), PASS));
        }
        List<String> tag = args("--provenance-path", root.resolve(t + "annotated-tag.intoto.jsonl").toString(), "--insecure-ignore-tlog",
                root.resolve(t + "annotated-tag").toString(), "--source-uri", "github.com/asraa/slsa-on-github-test",
                "--source-versioned-tag", "v1.5.0");
        cases.add(new Case("annotated tag", tag, PASS));
        cases.add(new Case("annotated tag on branch main", plus(tag, "--source-branch", "main"), "ErrorInvalidRef"));
        List<String> inputs = args("--provenance-path", root.resolve(t + "workflow-inputs.intoto.jsonl").toString(), "--insecure-ignore-tlog",
                root.resolve(t + "workflow-inputs").toString(), "--source-uri", "github.com/laurentsimon/slsa-on-github-test",
                "--build-workflow-input", "release_version=(for example, 0.1.0)", "--build-workflow-input", "some_bool=true");
        cases.add(new Case("workflow inputs", plus(inputs, "--build-workflow-input", "some_integer=123"), PASS));
        cases.add(new Case("workflow inputs mismatch", plus(inputs, "--build-workflow-input", "some_integer=321"), "ErrorMismatchWorkflowInputs"));
        cases.add(new Case("workflow inputs unknown", plus(inputs, "--build-workflow-input", "missing=1"), "ErrorMismatchWorkflowInputs"));
    }
}
