package dev.gatehouse.cli;

import dev.gatehouse.handlers.scan.ScanKeys;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.signing.ReportSigner;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --report-signing-key}: compliance-scan reports written by the CLI ({@code gatehouse scan},
 * {@code serve}'s {@code POST /scan}) signed as the Lambda functions sign theirs with KMS, so
 * {@code gatehouse verify-report} checks either. Shared by both commands.
 */
public final class ReportSigningOption {

    @Option(names = "--report-signing-key", paramLabel = "PEM",
            description = "PKCS#8 private key that signs every compliance scan report written (per-image results, summary.json, "
                    + "index.html; KEY.sig next to each, checked by gatehouse verify-report); default: unsigned reports.")
    Path key;

    /** {@code blobs}, signing every scan report put into it when a key was given. */
    public BlobStore signing(BlobStore blobs) throws IOException, Signer.SigningException {
        return key == null ? blobs : new ReportSigner(LocalKeySigner.fromPem(key, null)).signing(blobs, ScanKeys::isReport);
    }
}
