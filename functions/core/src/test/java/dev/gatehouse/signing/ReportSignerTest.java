package dev.gatehouse.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.local.InMemoryBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportSignerTest {

    private static final LocalKeySigner SIGNER = LocalKeySigner.generate("gatehouse-reports");
    private static final byte[] REPORT = "{\"scan_id\":\"s-1\",\"images\":200}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void signingStoreWritesTheReportAndASignatureThatVerifiesOnlyOverIt() throws Exception {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        BlobStore signing = new ReportSigner(SIGNER).signing(blobs, key -> key.startsWith("scans/"));
        signing.put("scans/s-1/summary.json", REPORT);
        signing.put("bundles/r1.tar.gz", new byte[] {1, 2});

        byte[] sig = blobs.get("scans/s-1/summary.json.sig", 1 << 14).orElseThrow();
        DetachedSignature signature = DetachedSignature.parse(sig, "summary.json.sig");
        assertThat(signature.verifies(SIGNER.publicKey(), REPORT)).isTrue();
        byte[] tampered = REPORT.clone();
        tampered[3] ^= 1;
        assertThat(signature.verifies(SIGNER.publicKey(), tampered)).isFalse();
        assertThat(signature.verifies(LocalKeySigner.generate("other").publicKey(), REPORT)).isFalse();
        assertThat(blobs.get("bundles/r1.tar.gz.sig", 1 << 14)).isEmpty();
    }

    @Test
    void reportThatCannotBeSignedIsNotStored() {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        Signer broken = new Signer() {
            @Override
            public byte[] sign(byte[] data) throws SigningException {
                throw new SigningException("KMS Sign refused: AccessDeniedException");
            }

            @Override
            public PublicKey publicKey() {
                return SIGNER.publicKey();
            }

            @Override
            public String keyId() {
                return "broken";
            }
        };
        assertThatThrownBy(() -> new ReportSigner(broken).signing(blobs, key -> true).put("scans/s-2/summary.json", REPORT))
                .isInstanceOf(StoreException.class).hasMessageContaining("AccessDeniedException");
        assertThat(blobs.list("", 10)).isEmpty();
    }

    @Test
    void signatureFilesAreReadAsBase64OrRawDerAndJunkIsRejected() throws Exception {
        DetachedSignature signature = new ReportSigner(SIGNER).sign(REPORT);
        assertThat(DetachedSignature.parse(signature.encoded(), "a").signature()).isEqualTo(signature.signature());
        assertThat(DetachedSignature.parse(signature.signature(), "b").verifies(SIGNER.publicKey(), REPORT)).isTrue();
        assertThatThrownBy(() -> DetachedSignature.parse("not base64!".getBytes(StandardCharsets.US_ASCII), "c.sig"))
                .isInstanceOf(MalformedInputException.class).hasMessage("detached signature at c.sig: neither base64 nor a DER signature");
        assertThatThrownBy(() -> DetachedSignature.parse(new byte[0], "d.sig")).isInstanceOf(MalformedInputException.class);
    }

    @Test
    void opensslVerifiesTheDecodedSignature() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        Path report = Files.write(dir.resolve("summary.json"), REPORT);
        Path sig = Files.write(dir.resolve("summary.json.der"),
                Base64.getDecoder().decode(new String(new ReportSigner(SIGNER).sign(REPORT).encoded(), StandardCharsets.US_ASCII).strip()));
        Path key = Files.writeString(dir.resolve("key.pub"), SIGNER.publicKeyPem());
        Process openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", key.toString(), "-signature", sig.toString(),
                report.toString()).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor()).as(out).isZero();
    }
}
