package dev.gatehouse.signature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log entry bodies of the kinds older cosign releases wrote, matched against what the bundle says was signed. */
class LogEntryBodyTest {

    private static final byte[] PAYLOAD = "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}".getBytes(StandardCharsets.UTF_8);

    private static SigstoreBundle.TlogEntry intotoV001(byte[] payload, X509Certificate signer) {
        String pem = SigstoreFixtures.pem("CERTIFICATE", SigstoreFixtures.encoded(signer));
        String body = "{\"apiVersion\":\"0.0.1\",\"kind\":\"intoto\",\"spec\":{\"content\":{"
                + "\"hash\":{\"algorithm\":\"sha256\",\"value\":\"" + "ab".repeat(32) + "\"},"
                + "\"payloadHash\":{\"algorithm\":\"sha256\",\"value\":\"" + HexFormat.of().formatHex(SigstoreFixtures.sha256(payload)) + "\"}},"
                + "\"publicKey\":\"" + Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)) + "\"}}";
        return new SigstoreBundle.TlogEntry(1, new byte[32], "intoto", "0.0.1", 0, null, null, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void intotoV001EntriesBindThePayloadHashAndTheSigningCertificate() {
        SigstoreFixtures sigstore = new SigstoreFixtures();
        KeyPair key = SigstoreFixtures.key("P-256");
        X509Certificate leaf = sigstore.issue(key.getPublic(), SigstoreFixtures.SUBJECT, SigstoreFixtures.ISSUER);
        SigstoreBundle.DsseEnvelope envelope = new SigstoreBundle.DsseEnvelope("application/vnd.in-toto+json", PAYLOAD, List.of(new byte[64]));
        LogEntryBody.Expected expected = new LogEntryBody.Expected(envelope, null, leaf, leaf.getPublicKey());

        assertThat(LogEntryBody.mismatch(intotoV001(PAYLOAD, leaf), expected)).isEmpty();
        assertThat(LogEntryBody.mismatch(intotoV001("{}".getBytes(StandardCharsets.UTF_8), leaf), expected))
                .hasValue("log entry records a different DSSE payload");
        X509Certificate other = sigstore.issue(SigstoreFixtures.key("P-256").getPublic(), SigstoreFixtures.SUBJECT, SigstoreFixtures.ISSUER);
        assertThat(LogEntryBody.mismatch(intotoV001(PAYLOAD, other), expected)).hasValue("log entry records a different signing certificate");
        SigstoreBundle.MessageSignature message = new SigstoreBundle.MessageSignature("SHA2_256", new byte[32], new byte[64]);
        assertThat(LogEntryBody.mismatch(intotoV001(PAYLOAD, leaf), new LogEntryBody.Expected(message, new byte[32], leaf, leaf.getPublicKey())))
                .hasValue("an intoto entry cannot record a message signature");
    }
}
