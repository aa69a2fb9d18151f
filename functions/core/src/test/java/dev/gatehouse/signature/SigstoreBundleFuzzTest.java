package dev.gatehouse.signature;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.io.testing.Fuzzing;
import dev.gatehouse.signature.SigstoreBundleVerifier.Artifact;
import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Sigstore bundles from outside: parsed and verified against a trusted root, they give an outcome or a MalformedInputException. */
class SigstoreBundleFuzzTest {

    private static final byte[] ARTIFACT = Fuzzing.utf8("release artifact v1.2.3\n");
    private static final SigstoreFixtures SIGSTORE = new SigstoreFixtures();
    private static final SigstoreBundleVerifier VERIFIER = verifier();
    private static final SignerExpectation IDENTITY = new SignerExpectation.Identity(new CertificateIdentity(
            CertificateIdentity.StringMatch.exact(SigstoreFixtures.SUBJECT), CertificateIdentity.StringMatch.exact(SigstoreFixtures.ISSUER)));

    private static SigstoreBundleVerifier verifier() {
        try {
            return new SigstoreBundleVerifier(TrustedRoot.parse(SIGSTORE.trustedRootJson(), "fuzz root"));
        } catch (MalformedInputException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> bundles() throws Exception {
        KeyPair signer = SigstoreFixtures.key("P-256");
        byte[] keyless = SIGSTORE.messageSignatureBundle(ARTIFACT, signer,
                SIGSTORE.issue(signer.getPublic(), SigstoreFixtures.SUBJECT, SigstoreFixtures.ISSUER));
        byte[] managedKey = SIGSTORE.messageSignatureBundle(ARTIFACT, SigstoreFixtures.key("P-256"), null);
        // The same material around a DSSE envelope, so the envelope branch of the parser is reached too.
        ObjectNode dsse = (ObjectNode) UntrustedJson.parse(keyless, "seed");
        dsse.remove("messageSignature");
        ObjectNode envelope = dsse.putObject("dsseEnvelope");
        envelope.put("payload", Base64.getEncoder().encodeToString(Fuzzing.utf8("{\"_type\":\"https://in-toto.io/Statement/v1\"}")));
        envelope.put("payloadType", "application/vnd.in-toto+json");
        envelope.putArray("signatures").addObject().put("sig", Base64.getEncoder().encodeToString(new byte[64])).put("keyid", "");
        ((ObjectNode) dsse.path("verificationMaterial").path("tlogEntries").get(0).path("kindVersion")).put("kind", "dsse");
        return Fuzzing.seeds(List.of(keyless, managedKey, UntrustedJson.mapper().writeValueAsBytes(dsse)));
    }

    @MethodSource("bundles")
    @FuzzTest
    void bundlesVerifyOrAreRejected(byte[] input) throws Exception {
        Fuzzing.acceptOrReject(input, bytes -> Objects.requireNonNull(
                VERIFIER.verify(SigstoreBundle.parse(bytes), Artifact.ofBytes(ARTIFACT), IDENTITY)), MalformedInputException.class);
    }
}
