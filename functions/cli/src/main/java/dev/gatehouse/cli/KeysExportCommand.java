package dev.gatehouse.cli;

import dev.gatehouse.aws.KmsSigner;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.signature.PublicKeys;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.vsa.KeyFingerprint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse keys export}: prints the PEM public key of the signing key, for trust
 * configurations ({@code key: {file: ...}}) and {@code verify-vsa --public-key-path}.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Print the PEM public key of a Gatehouse signing key on stdout, and its key ids on stderr.",
            "Exit codes: 0 printed; 2 error (unreadable key, KMS refused or unreachable)."
        })
final class KeysExportCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--key", paramLabel = "PEM", description = "A PKCS#8 private key (or a public key) in PEM.")
        Path key;

        @Option(names = "--kms-key-id", paramLabel = "ARN",
                description = "An AWS KMS key (ECC_NIST_P256, SIGN_VERIFY): key id, ARN or alias/NAME; read with GetPublicKey.")
        String kmsKeyId;
    }

    @Option(names = "--kms-endpoint", paramLabel = "URL", description = "KMS endpoint (VPC endpoint, local stand-in); default AWS's.")
    URI kmsEndpoint;

    @Option(names = "--kms-region", paramLabel = "REGION", description = "KMS region; default from the AWS environment.")
    String kmsRegion;

    @Option(names = "--key-id", paramLabel = "ID",
            description = "The id the key signs under (default: sha256:<hex> of the public key; for KMS the key ARN).")
    String keyId;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (source.kmsKeyId != null) {
            try (KmsClient kms = KmsSigner.client(kmsEndpoint, kmsRegion == null ? null : Region.of(kmsRegion))) {
                KmsSigner signer = KmsSigner.connect(kms, source.kmsKeyId);
                print(signer.publicKey(), keyId == null ? signer.keyId() : keyId);
            }
            return 0;
        }
        String pem = new String(VerifyVsaCommand.read(source.key), StandardCharsets.US_ASCII);
        if (pem.contains("-----BEGIN PUBLIC KEY-----")) {
            PublicKey key = PublicKeys.fromPem(pem, source.key.toString());
            print(key, keyId == null ? LocalKeySigner.defaultKeyId(key) : keyId);
            return 0;
        }
        Signer signer;
        try {
            signer = LocalKeySigner.fromPem(pem, keyId);
        } catch (Signer.SigningException e) {
            throw new Signer.SigningException(source.key + ": " + e.getMessage());
        }
        print(signer.publicKey(), signer.keyId());
        return 0;
    }

    private void print(PublicKey key, String id) {
        spec.commandLine().getOut().print("-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println(PublicKeys.describe(key) + " key id " + id + " (SSH fingerprint "
                + KeyFingerprint.sha256(key).orElse("none") + ")");
    }
}
