package dev.gatehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.aws.testing.KmsStub;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.signature.SignatureCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Against KMS's documented JSON wire protocol served by {@link KmsStub} on loopback (no KMS runs
 * here); the real SDK client signs and marshals the requests. Nothing reaches AWS.
 */
class KmsSignerTest {

    private static final String ARN = KmsStub.ARN;

    private KmsStub kms;
    private KmsClient client;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        kms = KmsStub.start();
        client = kms.client();
    }

    @AfterEach
    void stop() {
        client.close();
        kms.close();
    }

    @Test
    void signsTheSha256DigestAndTheSignatureVerifiesOverTheData() throws Exception {
        KmsSigner signer = KmsSigner.connect(client, KmsStub.ALIAS);
        byte[] data = "verification summary".getBytes(StandardCharsets.UTF_8);
        byte[] signature = signer.sign(data);

        assertThat(signer.keyId()).isEqualTo(ARN);
        assertThat(signer.publicKey().getEncoded()).isEqualTo(kms.key().getPublic().getEncoded());
        assertThat(SignatureCheck.verify(signer.publicKey(), data, signature)).isTrue();
        assertThat(kms.targets()).containsExactly("TrentService.GetPublicKey", "TrentService.Sign");
        JsonNode sign = kms.requests().get(1);
        assertThat(sign.path("KeyId").asText()).isEqualTo(ARN);
        assertThat(sign.path("MessageType").asText()).isEqualTo("DIGEST");
        assertThat(sign.path("SigningAlgorithm").asText()).isEqualTo("ECDSA_SHA_256");
        assertThat(Base64.getDecoder().decode(sign.path("Message").asText())).isEqualTo(Digest.newSha256().digest(data));
    }

    @Test
    void opensslVerifiesTheKmsSignatureWithTheExportedKey() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        KmsSigner signer = KmsSigner.connect(client, ARN);
        byte[] data = "report.json contents".getBytes(StandardCharsets.UTF_8);
        Path dataFile = Files.write(dir.resolve("data"), data);
        Path sigFile = Files.write(dir.resolve("data.sig"), signer.sign(data));
        Path pem = Files.writeString(dir.resolve("kms.pub"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(signer.publicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Process openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", pem.toString(), "-signature", sigFile.toString(),
                dataFile.toString()).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor()).as(out).isZero();
        assertThat(out).contains("Verified OK");
    }

    @Test
    void unknownKeyIsAOneLineRefusalNamingKmsErrorCode() {
        assertThatThrownBy(() -> KmsSigner.connect(client, "alias/missing"))
                .isInstanceOf(Signer.SigningException.class)
                .hasMessageStartingWith("KMS GetPublicKey for alias/missing refused: NotFoundException")
                .hasMessageNotContaining("\n");
    }

    @Test
    void keyOfAnotherSpecIsRefusedBeforeAnythingIsSigned() {
        kms.keySpec("RSA_2048");
        assertThatThrownBy(() -> KmsSigner.connect(client, ARN))
                .isInstanceOf(Signer.SigningException.class)
                .hasMessageContaining("key spec RSA_2048, expected ECC_NIST_P256");
        assertThat(kms.targets()).containsExactly("TrentService.GetPublicKey");
    }

    @Test
    void signatureThatDoesNotVerifyIsNeverReturned() throws Exception {
        KmsSigner signer = KmsSigner.connect(client, ARN);
        kms.corruptSignatures();
        assertThatThrownBy(() -> signer.sign("x".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Signer.SigningException.class)
                .hasMessageContaining("does not verify");
    }

    @Test
    void unreachableKmsIsASigningFailure() throws Exception {
        KmsSigner signer = KmsSigner.connect(client, ARN);
        kms.close();
        assertThatThrownBy(() -> signer.sign("x".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Signer.SigningException.class)
                .hasMessageStartingWith("KMS Sign with " + ARN + " failed:");
    }
}
