package dev.gatehouse.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.signature.SigstoreBundleVerifier.Artifact;
import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SigstoreBundleVerifierTest {

    private static final byte[] ARTIFACT = "release artifact v1.2.3\n".getBytes(StandardCharsets.UTF_8);
    private static SigstoreFixtures sigstore;
    private static SigstoreBundleVerifier verifier;
    private static byte[] keylessBundle;
    private static SignerExpectation identity;

    @BeforeAll
    static void setUp() throws Exception {
        sigstore = new SigstoreFixtures();
        verifier = new SigstoreBundleVerifier(TrustedRoot.parse(sigstore.trustedRootJson(), "test root"));
        KeyPair signer = SigstoreFixtures.key("P-256");
        X509Certificate leaf = sigstore.issue(signer.getPublic(), SigstoreFixtures.SUBJECT, SigstoreFixtures.ISSUER);
        keylessBundle = sigstore.messageSignatureBundle(ARTIFACT, signer, leaf);
        identity = identity(CertificateIdentity.StringMatch.exact(SigstoreFixtures.SUBJECT),
                CertificateIdentity.StringMatch.exact(SigstoreFixtures.ISSUER));
    }

    private static SignerExpectation identity(CertificateIdentity.StringMatch subject, CertificateIdentity.StringMatch issuer) {
        return new SignerExpectation.Identity(new CertificateIdentity(subject, issuer));
    }

    private static VerificationOutcome verify(byte[] bundle, Artifact artifact, SignerExpectation expected) {
        try {
            return verifier.verify(SigstoreBundle.parse(bundle), artifact, expected);
        } catch (MalformedInputException e) {
            return new VerificationOutcome.Rejected(e.getMessage());
        }
    }

    @Test
    void keylessBundleFromTheTestCaVerifiesByBytesAndByDigest() {
        VerificationOutcome byBytes = verify(keylessBundle, Artifact.ofBytes(ARTIFACT), identity);
        assertThat(byBytes).isInstanceOf(VerificationOutcome.Verified.class);
        assertThat(((VerificationOutcome.Verified) byBytes).signer()).contains(SigstoreFixtures.SUBJECT);
        assertThat(((VerificationOutcome.Verified) byBytes).signingTimes()).containsExactly(sigstore.now);
        assertThat(verify(keylessBundle, Artifact.ofDigest(SigstoreFixtures.sha256(ARTIFACT)), identity).verified()).isTrue();
    }

    @Test
    void anyFulcioIdentityCheckedByCallerAcceptsTheBundleAndReturnsItsCertificate() {
        VerificationOutcome outcome = verify(keylessBundle, Artifact.ofBytes(ARTIFACT), new SignerExpectation.AnyFulcioIdentityCheckedByCaller());
        assertThat(outcome).isInstanceOfSatisfying(VerificationOutcome.Verified.class,
                v -> assertThat(CertificateIdentity.subjectsOf(v.certificate().orElseThrow())).containsExactly(SigstoreFixtures.SUBJECT));
        SigstoreFixtures other = new SigstoreFixtures();
        KeyPair signer = SigstoreFixtures.key("P-256");
        byte[] foreign = other.messageSignatureBundle(ARTIFACT, signer, other.issue(signer.getPublic(), SigstoreFixtures.SUBJECT,
                SigstoreFixtures.ISSUER));
        assertThat(verify(foreign, Artifact.ofBytes(ARTIFACT), new SignerExpectation.AnyFulcioIdentityCheckedByCaller()).verified())
                .as("a certificate from another CA").isFalse();
    }

    @Test
    void identityMatchesByRegexpAndRejectsOtherSubjectsAndIssuers() {
        assertThat(verify(keylessBundle, Artifact.ofBytes(ARTIFACT), identity(
                CertificateIdentity.StringMatch.regexp("https://github\\.com/acme/.*"),
                CertificateIdentity.StringMatch.regexp("https://issuer\\.gatehouse\\.test"))).verified()).isTrue();
        assertThat(verify(keylessBundle, Artifact.ofBytes(ARTIFACT), identity(
                CertificateIdentity.StringMatch.regexp("acme"), CertificateIdentity.StringMatch.regexp(".*"))).verified())
                .as("a regexp must match the whole subject").isFalse();
        assertThat(verify(keylessBundle, Artifact.ofBytes(ARTIFACT), identity(
                CertificateIdentity.StringMatch.exact("https://github.com/evil/app"),
                CertificateIdentity.StringMatch.exact(SigstoreFixtures.ISSUER))).verified()).isFalse();
        assertThat(verify(keylessBundle, Artifact.ofBytes(ARTIFACT), identity(
                CertificateIdentity.StringMatch.exact(SigstoreFixtures.SUBJECT),
                CertificateIdentity.StringMatch.exact("https://accounts.google.com"))).verified()).isFalse();
    }

    @Test
    void everyTamperedArtifactByteFails() {
        for (int i = 0; i < ARTIFACT.length; i++) {
            byte[] tampered = ARTIFACT.clone();
            tampered[i] ^= 1;
            assertThat(verify(keylessBundle, Artifact.ofBytes(tampered), identity).verified()).as("byte %d", i).isFalse();
        }
    }

    @Test
    void everyTamperedSignatureByteFails() {
        assertEveryByteFlipFails("/messageSignature", "signature");
    }

    @Test
    void everyTamperedCertificateByteFails() {
        assertEveryByteFlipFails("/verificationMaterial/certificate", "rawBytes");
    }

    @Test
    void everyTamperedLogEntryByteFails() {
        assertEveryByteFlipFails("/verificationMaterial/tlogEntries/0", "canonicalizedBody");
        assertEveryByteFlipFails("/verificationMaterial/tlogEntries/0/inclusionPromise", "signedEntryTimestamp");
        assertEveryByteFlipFails("/verificationMaterial/tlogEntries/0/inclusionProof", "rootHash");
        assertEveryByteFlipFails("/verificationMaterial/tlogEntries/0/logId", "keyId");
    }

    @Test
    void tamperedLogIndexTimeProofAndCheckpointFail() {
        assertThat(verify(edit(keylessBundle, b -> ((ObjectNode) b.at("/verificationMaterial/tlogEntries/0")).put("logIndex", "40")),
                Artifact.ofBytes(ARTIFACT), identity).verified()).isFalse();
        assertThat(verify(edit(keylessBundle, b -> ((ObjectNode) b.at("/verificationMaterial/tlogEntries/0"))
                .put("integratedTime", String.valueOf(sigstore.now.getEpochSecond() + 1))), Artifact.ofBytes(ARTIFACT), identity)
                .verified()).isFalse();
        assertThat(verify(edit(keylessBundle, b -> ((ObjectNode) b.at("/verificationMaterial/tlogEntries/0/inclusionProof"))
                .put("treeSize", "3")), Artifact.ofBytes(ARTIFACT), identity).verified()).isFalse();
        assertThat(verify(edit(keylessBundle, b -> {
            ObjectNode checkpoint = (ObjectNode) b.at("/verificationMaterial/tlogEntries/0/inclusionProof/checkpoint");
            checkpoint.put("envelope", checkpoint.path("envelope").asText().replace("\n2\n", "\n3\n"));
        }), Artifact.ofBytes(ARTIFACT), identity).verified()).isFalse();
        assertThat(verify(edit(keylessBundle, b -> {
            ObjectNode entry = (ObjectNode) b.at("/verificationMaterial/tlogEntries/0");
            entry.remove("inclusionPromise");
        }), Artifact.ofBytes(ARTIFACT), identity)).as("keyless needs a proven signing time")
                .isInstanceOf(VerificationOutcome.Rejected.class);
    }

    private static SigstoreBundle withChain(X509Certificate... chain) throws Exception {
        ObjectNode bundle = (ObjectNode) UntrustedJson.mapper().readTree(keylessBundle);
        bundle.put("mediaType", "application/vnd.dev.sigstore.bundle+json;version=0.1");
        ObjectNode material = (ObjectNode) bundle.get("verificationMaterial");
        String leaf = material.remove("certificate").get("rawBytes").asText();
        var certificates = material.putObject("x509CertificateChain").putArray("certificates");
        certificates.addObject().put("rawBytes", leaf);
        for (X509Certificate cert : chain) {
            certificates.addObject().put("rawBytes", Base64.getEncoder().encodeToString(SigstoreFixtures.encoded(cert)));
        }
        return SigstoreBundle.parse(UntrustedJson.mapper().writeValueAsBytes(bundle));
    }

    @Test
    void aRootIsIgnoredAtTheEndOfAnOrderedChainAndRejectedAnywhereElse() throws Exception {
        TrustedRoot root = TrustedRoot.parse(sigstore.trustedRootJson(), "test root");
        SigstoreBundle ordered = withChain(sigstore.intermediate, sigstore.root);
        assertThat(new SigstoreBundleVerifier(root).verify(ordered, Artifact.ofBytes(ARTIFACT), identity).verified()).isTrue();
        assertThat(SigstoreBundleVerifier.leafOnly(root).verify(ordered, Artifact.ofBytes(ARTIFACT), identity).verified()).isTrue();

        SigstoreBundle rootInTheMiddle = withChain(sigstore.root, sigstore.intermediate);
        VerificationOutcome strict = new SigstoreBundleVerifier(root).verify(rootInTheMiddle, Artifact.ofBytes(ARTIFACT), identity);
        assertThat(strict.verified()).isFalse();
        assertThat(((VerificationOutcome.Rejected) strict).reason()).contains("self-signed root certificate out of chain order");
        assertThat(SigstoreBundleVerifier.leafOnly(root).verify(rootInTheMiddle, Artifact.ofBytes(ARTIFACT), identity).verified())
                .as("sigstore-go compatible: only the leaf counts").isTrue();

        SigstoreFixtures other = new SigstoreFixtures();
        TrustedRoot otherRoot = TrustedRoot.parse(other.trustedRootJson(), "other root");
        assertThat(new SigstoreBundleVerifier(otherRoot).verify(ordered, Artifact.ofBytes(ARTIFACT), identity).verified())
                .as("the carried root is never trusted for itself").isFalse();
        assertThat(SigstoreBundleVerifier.leafOnly(otherRoot).verify(ordered, Artifact.ofBytes(ARTIFACT), identity).verified()).isFalse();
    }

    @Test
    void aRekorV1CheckpointIsKnownByItsKeyHintWhateverNameItIsSignedUnder() throws Exception {
        String json = new String(keylessBundle, StandardCharsets.UTF_8);
        assertThat(json).contains("\u2014 rekor.gatehouse.test ");
        byte[] renamed = json.replace("\u2014 rekor.gatehouse.test ", "\u2014 rekor-00001-deployment ").getBytes(StandardCharsets.UTF_8);
        assertThat(verify(renamed, Artifact.ofBytes(ARTIFACT), identity).verified()).as("private deployments sign under their own origin")
                .isTrue();
    }

    @Test
    void nullProtobufFieldsAreAbsentFields() throws Exception {
        ObjectNode bundle = (ObjectNode) UntrustedJson.mapper().readTree(keylessBundle);
        bundle.put("mediaType", "application/vnd.dev.sigstore.bundle+json;version=0.1");
        ((ObjectNode) bundle.at("/verificationMaterial/tlogEntries/0")).putNull("inclusionProof");
        bundle.putNull("dsseEnvelope");
        assertThat(verify(UntrustedJson.mapper().writeValueAsBytes(bundle), Artifact.ofBytes(ARTIFACT), identity).verified())
                .as("a v0.1 bundle proves its entry by the signed entry timestamp").isTrue();
    }

    @Test
    void identityRegexpFlagsSearchAsCosignDoesWhileTrustConfigurationsMatchTheWholeValue() {
        assertThat(CertificateIdentity.StringMatch.regexpSearch("^https://github.com/acme/").test(SigstoreFixtures.SUBJECT)).isTrue();
        assertThat(CertificateIdentity.StringMatch.regexpSearch("^https://github.com/other/").test(SigstoreFixtures.SUBJECT)).isFalse();
        assertThat(CertificateIdentity.StringMatch.regexp("^https://github.com/acme/").test(SigstoreFixtures.SUBJECT)).isFalse();
        assertThat(CertificateIdentity.StringMatch.regexp("https://github.com/acme/.*").test(SigstoreFixtures.SUBJECT)).isTrue();
    }

    @Test
    void aCertificateFromAnotherCaIsRejected() {
        SigstoreFixtures other = new SigstoreFixtures();
        KeyPair signer = SigstoreFixtures.key("P-256");
        byte[] bundle = other.messageSignatureBundle(ARTIFACT, signer,
                other.issue(signer.getPublic(), SigstoreFixtures.SUBJECT, SigstoreFixtures.ISSUER));
        VerificationOutcome outcome = verify(bundle, Artifact.ofBytes(ARTIFACT), identity);
        assertThat(outcome.verified()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"P-256", "P-384", "RSA", "Ed25519"})
    void managedKeyBundlesVerifyForEachAlgorithmAndRejectOtherKeys(String algorithm) {
        KeyPair key = SigstoreFixtures.key(algorithm);
        byte[] bundle = sigstore.messageSignatureBundle(ARTIFACT, key, null);
        SignerExpectation expected = new SignerExpectation.Key(key.getPublic(), algorithm);
        assertThat(verify(bundle, Artifact.ofBytes(ARTIFACT), expected).verified()).isTrue();
        if (algorithm.equals("P-256") || algorithm.equals("RSA")) {
            // a digest-only check needs a signature over SHA-256; P-384 signs SHA-384, Ed25519 the bytes
            assertThat(verify(bundle, Artifact.ofDigest(SigstoreFixtures.sha256(ARTIFACT)), expected).verified()).isTrue();
        }
        SignerExpectation other = new SignerExpectation.Key(SigstoreFixtures.key(algorithm).getPublic(), "other");
        assertThat(verify(bundle, Artifact.ofBytes(ARTIFACT), other).verified()).isFalse();
        assertThat(verify(bundle, Artifact.ofBytes(ARTIFACT), identity))
                .isEqualTo(new VerificationOutcome.Rejected("bundle is signed with a managed key, but no key was given"));
    }

    @Test
    void malformedBundlesFailWithOneLineErrorsNamingThePlace() {
        byte[] truncated = Arrays.copyOf(keylessBundle, keylessBundle.length / 2);
        assertThatThrownBy(() -> SigstoreBundle.parse(truncated)).isInstanceOf(MalformedInputException.class)
                .hasMessageStartingWith("Sigstore bundle at line 1").hasMessageNotContaining("\n");
        byte[] unknown = edit(keylessBundle, b -> ((ObjectNode) b).put("mediaType", "application/vnd.dev.sigstore.bundle+json;version=99.9"));
        assertThatThrownBy(() -> SigstoreBundle.parse(unknown)).hasMessageContaining("/mediaType: unsupported bundle version");
        byte[] badBase64 = edit(keylessBundle, b -> ((ObjectNode) b.at("/messageSignature")).put("signature", "not*base64"));
        assertThatThrownBy(() -> SigstoreBundle.parse(badBase64)).hasMessageContaining("/messageSignature/signature: invalid base64");
    }

    @Test
    void zeroValuedNumbersThatProtobufJsonOmitsReadAsZero() throws Exception {
        byte[] omitted = edit(keylessBundle, b -> ((ObjectNode) b.at("/verificationMaterial/tlogEntries/0/inclusionProof")).remove("logIndex"));
        assertThat(SigstoreBundle.parse(omitted).tlogEntries().get(0).inclusionProof().logIndex()).isZero();
        assertThat(verify(omitted, Artifact.ofBytes(ARTIFACT), identity).verified()).as("the entry is leaf 1, not 0").isFalse();
    }

    @Test
    void aTrustedRootWhoseLogHasNoValidityStartIsRefused() {
        ObjectNode root = (ObjectNode) json(sigstore.trustedRootJson());
        ((ObjectNode) root.at("/tlogs/0/publicKey/validFor")).remove("start");
        assertThatThrownBy(() -> TrustedRoot.parse(UntrustedJson.mapper().writeValueAsBytes(root), "edited root"))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("/tlogs/0: validity period has no start");
    }

    /** Flips bytes spread over the whole field (every byte of short fields, about 48 of long ones). */
    private void assertEveryByteFlipFails(String parent, String field) {
        byte[] original = Base64.getDecoder().decode(json(keylessBundle).at(parent).path(field).asText());
        int stride = Math.max(1, original.length / 48);
        java.util.SortedSet<Integer> positions = new java.util.TreeSet<>();
        for (int i = 0; i < original.length; i += stride) {
            positions.add(i);
        }
        positions.add(original.length - 1);
        for (int i : positions) {
            byte[] flipped = original.clone();
            flipped[i] ^= 0x01;
            byte[] tampered = edit(keylessBundle, b -> ((ObjectNode) b.at(parent)).put(field, Base64.getEncoder().encodeToString(flipped)));
            assertThat(verify(tampered, Artifact.ofBytes(ARTIFACT), identity).verified()).as("%s/%s byte %d", parent, field, i).isFalse();
        }
    }

    static JsonNode json(byte[] bytes) {
        try {
            return UntrustedJson.parse(bytes, "test");
        } catch (MalformedInputException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] edit(byte[] bundle, java.util.function.Consumer<JsonNode> change) {
        JsonNode tree = json(bundle);
        change.accept(tree);
        try {
            return UntrustedJson.mapper().writeValueAsBytes(tree);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void trustedRootWithoutMediaTypeOrOfTheWrongShapeIsRefusedWithItsPointer() throws Exception {
        ObjectNode root = (ObjectNode) UntrustedJson.parse(sigstore.trustedRootJson(), "test");
        root.remove("mediaType");
        assertThatThrownBy(() -> TrustedRoot.parse(UntrustedJson.mapper().writeValueAsBytes(root), "root.json"))
                .isInstanceOf(MalformedInputException.class)
                .hasMessage("Sigstore trusted root at root.json /mediaType: missing or not a string");
        root.put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
        root.set("certificateAuthorities", UntrustedJson.mapper().createObjectNode());
        assertThatThrownBy(() -> TrustedRoot.parse(UntrustedJson.mapper().writeValueAsBytes(root), "root.json"))
                .hasMessage("Sigstore trusted root at root.json /certificateAuthorities: expected an array");
    }
}
