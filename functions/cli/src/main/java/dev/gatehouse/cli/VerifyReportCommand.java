package dev.gatehouse.cli;

import dev.gatehouse.io.InputFiles;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.signature.PublicKeys;
import dev.gatehouse.signing.DetachedSignature;
import dev.gatehouse.signing.ReportSigner;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse verify-report}: checks the detached signature Gatehouse stores next to a report
 * ({@code REPORT.sig}, cosign sign-blob format). Exit 0 verified, 1 the signature does not verify,
 * 2 usage or I/O error.
 */
@Command(
        name = "verify-report",
        mixinStandardHelpOptions = true,
        description = {
            "Verify the detached signature of a Gatehouse report (compliance scan summary or page, verification report).",
            "Exit codes: 0 verified; 1 the signature does not verify; 2 usage or I/O error."
        })
final class VerifyReportCommand implements Callable<Integer> {

    static final int EXIT_NOT_VERIFIED = 1;
    static final long MAX_REPORT_BYTES = 512L << 20;

    @Parameters(paramLabel = "REPORT", description = "The report file, as downloaded.")
    Path report;

    @Option(names = "--signature", paramLabel = "SIG", description = "The detached signature (default REPORT.sig).")
    Path signature;

    @Option(names = "--key", required = true, paramLabel = "PEM", description = "The Gatehouse public key (gatehouse keys export).")
    Path key;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path signatureFile = signature != null ? signature : report.resolveSibling(report.getFileName() + ReportSigner.SIGNATURE_SUFFIX);
        PublicKey publicKey = PublicKeys.read(key);
        byte[] content = read(report, MAX_REPORT_BYTES);
        DetachedSignature detached = DetachedSignature.parse(read(signatureFile, DetachedSignature.MAX_BYTES), signatureFile.toString());
        if (!detached.verifies(publicKey, content)) {
            spec.commandLine().getErr().println("invalid signature: " + signatureFile + " does not verify " + report + " with " + key);
            return EXIT_NOT_VERIFIED;
        }
        spec.commandLine().getErr().println("Verified " + report + " (" + Digest.sha256(content) + ") signed by "
                + PublicKeys.describe(publicKey) + " key " + key);
        spec.commandLine().getOut().println("PASSED: report signature verified");
        return 0;
    }

    private static byte[] read(Path file, long max) throws IOException, MalformedInputException {
        return InputFiles.read(file, (int) Math.min(Integer.MAX_VALUE - 8, max));
    }
}
