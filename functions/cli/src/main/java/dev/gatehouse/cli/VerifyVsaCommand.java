package dev.gatehouse.cli;

import dev.gatehouse.io.InputFiles;
import dev.gatehouse.attestation.SlsaVerifierError;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.signature.PublicKeys;
import dev.gatehouse.vsa.VsaException;
import dev.gatehouse.vsa.VsaVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse verify-vsa}: slsa-verifier's verify-vsa, same flags and checks. Exit 0 when
 * the VSA verifies, 1 when it does not (the first line of stderr names the failure kind and
 * slsa-verifier's error name), 2 for usage and I/O errors.
 */
@Command(
        name = "verify-vsa",
        mixinStandardHelpOptions = true,
        description = {
            "Verify a SLSA Verification Summary Attestation (a DSSE envelope, predicate https://slsa.dev/verification_summary/v1) "
                    + "with a public key: signature, subject digests, verifier id, resource URI, result PASSED and verified levels.",
            "Exit codes: 0 verified; 1 not verified (first line of stderr: the failure kind); 2 usage or I/O error."
        })
final class VerifyVsaCommand implements Callable<Integer> {

    static final int EXIT_NOT_VERIFIED = 1;
    static final int MAX_ATTESTATION_BYTES = 16 << 20;

    @Option(names = "--subject-digest", paramLabel = "TYPE:VALUE",
            description = "A digest that must be a subject of the VSA, e.g. sha256:HEX (repeatable).")
    List<String> subjectDigests = new ArrayList<>();

    @Option(names = "--attestation-path", required = true, paramLabel = "FILE", description = "The VSA: a DSSE envelope (JSON).")
    Path attestationPath;

    @Option(names = "--verifier-id", paramLabel = "ID", description = "Expected verifier id (exact).")
    String verifierId = "";

    @Option(names = "--resource-uri", paramLabel = "URI", description = "Expected resource URI (exact).")
    String resourceUri = "";

    @Option(names = {"--verified-level", "--verified-levels"}, paramLabel = "LEVEL",
            description = "A level the VSA must state (repeatable): SLSA_<TRACK>_LEVEL_<n> is met by that level or higher, others must be present.")
    List<String> verifiedLevels = new ArrayList<>();

    @Option(names = "--public-key-path", required = true, paramLabel = "PEM", description = "The verifier's public key (PEM).")
    Path publicKeyPath;

    @Option(names = "--public-key-id", paramLabel = "ID",
            description = "The key's id as signatures name it; default the key's SSH SHA-256 fingerprint (SHA256:...). "
                    + "Signatures naming another key id are skipped.")
    String publicKeyId = "";

    @Option(names = "--print-attestation", description = "Print the verified in-toto statement on stdout.")
    boolean printAttestation;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        byte[] attestation = read(attestationPath);
        try {
            PublicKey key = publicKey();
            VsaVerifier.VerifiedSummary verified = VsaVerifier.verify(attestation, key, publicKeyId,
                    new VsaVerifier.Expectations(subjectDigests, verifierId, resourceUri, verifiedLevels));
            err.println("Verifying VSA: PASSED (verifier " + verified.summary().verifierId() + ", levels "
                    + String.join(", ", verified.summary().verifiedLevels()) + ")");
            if (printAttestation) {
                out.println(new String(verified.statementBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } else {
                out.println("PASSED: SLSA verification passed");
            }
            return 0;
        } catch (VsaException e) {
            err.println(e.describeFrom(attestationPath));
            err.println("FAILED: SLSA verification failed");
            return EXIT_NOT_VERIFIED;
        }
    }

    private PublicKey publicKey() throws IOException, VsaException {
        if (!Files.exists(publicKeyPath)) {
            throw new IOException(publicKeyPath + ": no such file");
        }
        if (!Files.isRegularFile(publicKeyPath)) {
            throw new IOException(publicKeyPath + ": not a regular file");
        }
        try {
            return PublicKeys.read(publicKeyPath);
        } catch (MalformedInputException e) {
            throw new VsaException(SlsaVerifierError.INVALID_PUBLIC_KEY, e.getMessage());
        }
    }

    static byte[] read(Path file) throws IOException {
        return InputFiles.read(file, MAX_ATTESTATION_BYTES);
    }
}
