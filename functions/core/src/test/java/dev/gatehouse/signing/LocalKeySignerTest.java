package dev.gatehouse.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.ports.Signer;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LocalKeySignerTest {

    @ParameterizedTest
    @ValueSource(strings = {"EC", "RSA", "Ed25519"})
    void pemKeysSignWhatTheirDerivedPublicKeyVerifies(String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp384r1"));
        }
        var pair = generator.generateKeyPair();
        LocalKeySigner signer = LocalKeySigner.fromPem(new LocalKeySigner(pair, "k").privateKeyPem(), "k");

        assertThat(signer.publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        byte[] data = "payload".getBytes();
        Signature verify = Signature.getInstance(LocalKeySigner.signatureAlgorithm(pair.getPrivate()));
        verify.initVerify(signer.publicKey());
        verify.update(data);
        assertThat(verify.verify(signer.sign(data))).isTrue();
    }

    @Test
    void keyIdDefaultsToTheDigestOfThePublicKey() {
        LocalKeySigner signer = LocalKeySigner.generate(null);
        assertThat(signer.keyId()).startsWith("sha256:");
    }

    @Test
    void garbageIsRejectedWithAClearMessage() {
        assertThatThrownBy(() -> LocalKeySigner.fromPem("not a key", null))
                .isInstanceOf(Signer.SigningException.class).hasMessageContaining("PEM block");
        assertThatThrownBy(() -> LocalKeySigner.fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", null))
                .isInstanceOf(Signer.SigningException.class).hasMessageContaining("PKCS#8");
    }
}
