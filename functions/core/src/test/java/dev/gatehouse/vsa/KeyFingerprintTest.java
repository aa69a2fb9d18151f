package dev.gatehouse.vsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.signing.LocalKeySigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default DSSE key id equals what OpenSSH's own ssh-keygen prints for the same key (its PKCS#8
 * import reads ECDSA and RSA keys, not Ed25519).
 */
class KeyFingerprintTest {

    @TempDir
    Path dir;

    @Test
    void fingerprintsMatchSshKeygenForEcdsaAndRsa() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "ssh-keygen not installed");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        for (var pair : java.util.List.of(LocalKeySigner.generate(null), new LocalKeySigner(ec.generateKeyPair(), null),
                new LocalKeySigner(rsa.generateKeyPair(), null))) {
            assertThat(KeyFingerprint.sha256(pair.publicKey())).contains(sshKeygen(pair.publicKeyPem()));
        }
    }

    private String sshKeygen(String pem) throws Exception {
        Path pemFile = dir.resolve("key.pem");
        Files.writeString(pemFile, pem);
        Path sshFile = dir.resolve("key.pub");
        Process convert = new ProcessBuilder("ssh-keygen", "-i", "-m", "PKCS8", "-f", pemFile.toString())
                .redirectOutput(sshFile.toFile()).start();
        assertThat(convert.waitFor()).isZero();
        Process list = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", sshFile.toString()).start();
        String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(list.waitFor()).as(out).isZero();
        return out.split(" ")[1];
    }
}
