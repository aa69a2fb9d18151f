package dev.gatehouse.cli;

import dev.gatehouse.io.InputFiles;
import dev.gatehouse.attestation.ProvenanceCriteria;
import dev.gatehouse.attestation.ProvenanceException;
import dev.gatehouse.attestation.ProvenanceVerifier;
import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.attestation.VerifiedProvenance;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.ResolvedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse verify-provenance}: slsa-verifier's verify-artifact and verify-image, offline.
 * Exit 0 when verified, 1 when the provenance does not verify (the first line of stderr names the
 * kind of failure and slsa-verifier's error name), 2 for usage and I/O errors.
 */
@Command(
        name = "verify-provenance",
        mixinStandardHelpOptions = true,
        description = {
            "Verify SLSA provenance (v0.2, v1; GitHub Actions builders and Google Cloud Build) for artifacts "
                    + "(ARTIFACT... with --provenance-path) or an image (--image REF|oci:DIR[:TAG], with --provenance-path "
                    + "or from its attached attestations).",
            "Exit codes: 0 verified; 1 not verified (first line of stderr: the failure kind); 2 usage or I/O error."
        })
final class VerifyProvenanceCommand implements Callable<Integer> {

    static final int EXIT_NOT_VERIFIED = 1;
    private static final int MAX_PROVENANCE_BYTES = 64 << 20;

    @Parameters(paramLabel = "ARTIFACT", arity = "0..*", description = "Artifacts whose SHA-256 must be a subject of the provenance.")
    List<Path> artifacts = new ArrayList<>();

    @Option(names = "--provenance-path", paramLabel = "FILE", description = "Provenance: Sigstore bundle, DSSE envelope (JSONL) or Cloud Build provenance.")
    Path provenancePath;

    @Option(names = "--image", paramLabel = "REF", description = "Image reference (registry, or oci:DIR[:TAG][@DIGEST]).")
    String image;

    @Option(names = "--artifact-digest", paramLabel = "sha256:HEX", description = "Digest of an artifact checked elsewhere (repeatable), instead of its file.")
    List<String> artifactDigests = new ArrayList<>();

    @Option(names = "--source-uri", required = true, paramLabel = "URI", description = "Expected source repository, e.g. github.com/org/repo.")
    String sourceUri;

    @Option(names = "--source-branch", paramLabel = "BRANCH", description = "Expected branch the build ran on.")
    String sourceBranch;

    @Option(names = "--source-tag", paramLabel = "TAG", description = "Expected tag the build ran on (exact).")
    String sourceTag;

    @Option(names = "--source-versioned-tag", paramLabel = "vX[.Y[.Z]]", description = "Expected semantic-version tag: major, and minor and patch when given.")
    String sourceVersionedTag;

    @Option(names = "--builder-id", paramLabel = "ID", description = "Expected builder: bare, @vX.Y.Z or @refs/tags/vX.Y.Z. Required for delegated (BYOB) and Cloud Build builders.")
    String builderId;

    @Option(names = "--build-workflow-input", paramLabel = "KEY=VALUE", description = "Expected workflow_dispatch input (repeatable).")
    Map<String, String> workflowInputs = new LinkedHashMap<>();

    @Option(names = "--trusted-root", paramLabel = "FILE", description = "Sigstore trusted_root.json (Fulcio CAs, Rekor keys) for keyless signatures.")
    Path trustedRoot;

    @Option(names = "--trusted-builders", paramLabel = "FILE", description = "Trusted builders list (JSON) instead of the shipped one.")
    Path trustedBuilders;

    @Option(names = "--insecure-ignore-tlog", description = "Accept signatures without a transparency-log proof (bare DSSE envelopes). Weakens verification.")
    boolean insecureIgnoreTlog;

    @Option(names = "--insecure-allow-testing-builder-refs", description = "Accept builders at refs/heads/main for the builder's own test repositories (slsa-verifier's SLSA_VERIFIER_TESTING). Never for real use.")
    boolean insecureAllowTestingBuilderRefs;

    @Option(names = "--print-provenance", description = "Print the verified in-toto statement on stdout.")
    boolean printProvenance;

    @Mixin
    RegistryOptions registry;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((image == null) == (artifacts.isEmpty() && artifactDigests.isEmpty())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --image or artifacts (paths or --artifact-digest)");
        }
        if (image == null && provenancePath == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "artifacts need --provenance-path");
        }
        TrustedBuilders builders = trustedBuilders == null ? TrustedBuilders.defaults()
                : TrustedBuilders.read(trustedBuilders);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ProvenanceVerifier verifier = new ProvenanceVerifier(builders, new ProvenanceVerifier.Options(trustedRoot, insecureIgnoreTlog));
            ProvenanceCriteria criteria = new ProvenanceCriteria(sourceUri, sourceBranch, sourceTag, sourceVersionedTag, builderId,
                    workflowInputs, digests(), insecureAllowTestingBuilderRefs);
            VerifiedProvenance verified = image == null
                    ? verifier.verifyArtifacts(readProvenance(), criteria)
                    : verifyImage(verifier, criteria);
            err.println("Verified build using builder \"" + verified.builderId() + "\" (" + verified.level() + "; signature: "
                    + verified.signature() + ")");
            if (printProvenance) {
                out.println(UntrustedJson.mapper().writeValueAsString(verified.statement().json()));
            } else {
                out.println("PASSED: SLSA verification passed");
            }
            return 0;
        } catch (ProvenanceException e) {
            err.println(e.describeFrom(provenancePath));
            err.println("FAILED: SLSA verification failed");
            return EXIT_NOT_VERIFIED;
        }
    }

    private VerifiedProvenance verifyImage(ProvenanceVerifier verifier, ProvenanceCriteria criteria) throws Exception {
        ImageReference reference = ImageReference.parse(image);
        if (provenancePath != null && reference.digest() != null && !reference.isLayout()) {
            return verifier.verifyImage(readProvenance(), reference.digest(), criteria);
        }
        ResolvedImage resolved = registry.repositories().resolve(reference);
        if (provenancePath != null) {
            return verifier.verifyImage(readProvenance(), resolved.digest(), criteria);
        }
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            return verifier.verifyAttached(resolved, criteria, executor);
        } finally {
            executor.shutdownNow();
        }
    }

    private byte[] readProvenance() throws IOException {
        return InputFiles.read(provenancePath, MAX_PROVENANCE_BYTES);
    }

    private List<String> digests() throws IOException {
        List<String> hex = new ArrayList<>();
        for (String d : artifactDigests) {
            Digest digest;
            try {
                digest = Digest.parse(d);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--artifact-digest '" + d + "': " + e.getMessage());
            }
            hex.add(digest.hex());
        }
        for (Path artifact : artifacts) {
            hex.add(sha256(artifact));
        }
        return hex;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md = Digest.newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
