package dev.gatehouse.cli;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.signature.PublicKeys;
import dev.gatehouse.signature.SignerExpectation;
import dev.gatehouse.signature.SigstoreBundle;
import dev.gatehouse.signature.SigstoreBundleVerifier;
import dev.gatehouse.signature.SigstoreBundleVerifier.Artifact;
import dev.gatehouse.signature.TrustedRoot;
import dev.gatehouse.signature.VerificationOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse verify-bundle}: the sigstore-conformance client protocol. Exit 0 only when the
 * bundle verifies; otherwise one line on stderr and a non-zero exit.
 */
@Command(
        name = "verify-bundle",
        mixinStandardHelpOptions = true,
        description = {
            "Verify a Sigstore bundle (v0.1-v0.3, message signature or DSSE) for an artifact file or its "
                    + "sha256:<hex> digest, keyless (certificate identity and issuer) or with a managed key.",
            "Without --trusted-root the Sigstore public-good root is fetched through TUF (network).",
            "Exit codes: 0 verified, 1 not verified, 2 unusable input (bundle, key, trusted root, artifact)."
        })
final class VerifyBundleCommand implements Callable<Integer> {

    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-fA-F]{64}");
    private static final int MAX_IN_MEMORY_ARTIFACT = 64 * 1024 * 1024;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "Sigstore bundle JSON.")
    Path bundle;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Signer signer;

    static final class Signer {
        @ArgGroup(exclusive = false)
        KeylessIdentityOptions keyless;

        @Option(names = "--key", paramLabel = "FILE", description = "PEM public key of a managed-key bundle.")
        Path key;
    }

    @Option(names = "--trusted-root", paramLabel = "FILE", description = "Offline trusted_root.json (no network).")
    Path trustedRoot;

    @Option(names = "--staging", description = "Use the Sigstore staging root through TUF (ignored with --trusted-root).")
    boolean staging;

    @Parameters(paramLabel = "FILE_OR_DIGEST", description = "The artifact file, or its digest as sha256:<hex>.")
    String artifact;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SignerExpectation expected = expectation();
        Artifact input = artifact(artifact);
        SigstoreBundle parsed = SigstoreBundle.read(bundle);
        TrustedRoot root = trustedRoot != null ? TrustedRoot.load(trustedRoot) : TrustedRoot.fromTuf(staging);
        VerificationOutcome outcome = new SigstoreBundleVerifier(root).verify(parsed, input, expected);
        if (outcome instanceof VerificationOutcome.Verified verified) {
            spec.commandLine().getOut().println("OK: " + bundle + " signed by " + verified.signer()
                    + (verified.signingTimes().isEmpty() ? "" : " at " + verified.signingTimes().get(0)));
            return 0;
        }
        spec.commandLine().getErr().println(spec.qualifiedName(" ") + ": " + bundle + ": "
                + ((VerificationOutcome.Rejected) outcome).reason().replace('\n', ' '));
        return 1;
    }

    private SignerExpectation expectation() throws MalformedInputException {
        if (signer.key != null) {
            return new SignerExpectation.Key(PublicKeys.read(signer.key), signer.key.getFileName().toString());
        }
        return new SignerExpectation.Identity(signer.keyless.identity());
    }

    static Artifact artifact(String fileOrDigest) throws IOException {
        if (SHA256.matcher(fileOrDigest).matches()) {
            return Artifact.ofDigest(HexFormat.of().parseHex(fileOrDigest.substring("sha256:".length()).toLowerCase()));
        }
        Path file = Path.of(fileOrDigest);
        try {
            if (Files.size(file) <= MAX_IN_MEMORY_ARTIFACT) {
                return Artifact.ofBytes(Files.readAllBytes(file));
            }
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha256.update(buf, 0, n);
                }
            }
            return Artifact.ofDigest(sha256.digest());
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException("artifact " + fileOrDigest + ": no such file (give a file or sha256:<hex>)");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }
}
