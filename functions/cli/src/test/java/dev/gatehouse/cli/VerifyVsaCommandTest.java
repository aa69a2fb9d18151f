package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.attestation.InTotoStatement;
import dev.gatehouse.aws.testing.KmsStub;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.signature.PublicKeys;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.vsa.VerificationSummary;
import dev.gatehouse.vsa.VsaPublisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyVsaCommandTest {

    private static final Digest IMAGE = Digest.sha256("app".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private Path signedVsa(LocalKeySigner signer) throws Exception {
        VerificationSummary summary = new VerificationSummary(
                List.of(new InTotoStatement.Subject("registry.example/app", Map.of("sha256", IMAGE.hex()))),
                "https://gatehouse.dev/verifier", Map.of(), Instant.parse("2026-11-27T00:00:00Z"), "oci://registry.example/app",
                new VerificationSummary.Policy("embedded:hardened", Map.of(), "r1", null, null), List.of(),
                VerificationSummary.Result.PASSED, List.of("SLSA_BUILD_LEVEL_3"), Map.of(), "1.0");
        Path vsa = dir.resolve("vsa.json");
        Files.write(vsa, new VsaPublisher(signer).sign(summary).json());
        return vsa;
    }

    @Test
    void exportedKeyVerifiesTheVsaItsPrivateKeySigned() throws Exception {
        LocalKeySigner signer = LocalKeySigner.generate(null);
        Path privateKey = dir.resolve("gatehouse.key");
        Files.writeString(privateKey, signer.privateKeyPem());
        CliRun export = CliRun.of("keys", "export", "--key", privateKey.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).isEqualTo(signer.publicKeyPem());
        assertThat(export.err()).contains("key id " + signer.keyId()).contains("SSH fingerprint SHA256:");
        Path publicKey = dir.resolve("gatehouse.pub");
        Files.writeString(publicKey, export.out());

        CliRun run = CliRun.of("verify-vsa", "--attestation-path", signedVsa(signer).toString(), "--public-key-path", publicKey.toString(),
                "--public-key-id", signer.keyId(), "--subject-digest", IMAGE.toString(), "--verifier-id", "https://gatehouse.dev/verifier",
                "--resource-uri", "oci://registry.example/app", "--verified-levels", "SLSA_BUILD_LEVEL_2", "--print-attestation");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).startsWith("Verifying VSA: PASSED");
        assertThat(run.out()).contains(VerificationSummary.PREDICATE_TYPE);
    }

    @Test
    void kmsKeyIsExportedThroughGetPublicKey() throws Exception {
        // Static credentials from system properties, so the default chain never probes instance metadata.
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "secret");
        try (KmsStub kms = KmsStub.start()) {
            CliRun export = CliRun.of("keys", "export", "--kms-key-id", KmsStub.ALIAS, "--kms-endpoint", kms.endpoint().toString(),
                    "--kms-region", KmsStub.REGION.id());
            assertThat(export.exitCode()).as(export.err()).isZero();
            assertThat(PublicKeys.fromPem(export.out(), "stdout").getEncoded()).isEqualTo(kms.key().getPublic().getEncoded());
            assertThat(export.err()).contains("ECDSA P-256 key id " + KmsStub.ARN);

            CliRun missing = CliRun.of("keys", "export", "--kms-key-id", "alias/other", "--kms-endpoint", kms.endpoint().toString(),
                    "--kms-region", KmsStub.REGION.id());
            assertThat(missing.exitCode()).isEqualTo(2);
            assertThat(missing.firstErrorLine()).contains("KMS GetPublicKey for alias/other refused: NotFoundException");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void missingFilesAndBrokenKeysAreOneLineErrors() throws Exception {
        LocalKeySigner signer = LocalKeySigner.generate("k");
        Path vsa = signedVsa(signer);
        CliRun missing = CliRun.of("verify-vsa", "--attestation-path", dir.resolve("absent.json").toString(), "--public-key-path", "x.pem");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.firstErrorLine()).contains("absent.json");

        Path broken = dir.resolve("broken.pem");
        Files.writeString(broken, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        CliRun invalid = CliRun.of("verify-vsa", "--attestation-path", vsa.toString(), "--public-key-path", broken.toString());
        assertThat(invalid.exitCode()).isEqualTo(VerifyVsaCommand.EXIT_NOT_VERIFIED);
        assertThat(invalid.firstErrorLine()).contains("(ErrorInvalidPublicKey)");

        CliRun exportBroken = CliRun.of("keys", "export", "--key", vsa.toString());
        assertThat(exportBroken.exitCode()).isEqualTo(2);
        assertThat(exportBroken.firstErrorLine()).contains("vsa.json");
    }
}
