package dev.gatehouse.vsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.attestation.SlsaVerifierError;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.signing.LocalKeySigner;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.Test;

class VsaVerifierTest {

    private static final LocalKeySigner SIGNER = LocalKeySigner.generate("gatehouse-test-key");
    private static final LocalKeySigner OTHER = LocalKeySigner.generate("gatehouse-test-key");

    private static byte[] signed(VerificationSummary summary) throws Exception {
        return new VsaPublisher(SIGNER).sign(summary).json();
    }

    private static SlsaVerifierError failure(byte[] envelope, String keyId, VsaVerifier.Expectations expected) {
        try {
            VsaVerifier.verify(envelope, SIGNER.publicKey(), keyId, expected);
        } catch (VsaException e) {
            return e.kind();
        }
        throw new AssertionError("verified");
    }

    @Test
    void signedSummaryVerifiesAndRoundTripsEveryField() throws Exception {
        VerificationSummary summary = VsaFixtures.passed();
        VsaVerifier.VerifiedSummary verified = VsaVerifier.verify(signed(summary), SIGNER.publicKey(), SIGNER.keyId(),
                VsaFixtures.expect(List.of("SLSA_BUILD_LEVEL_1", "GATEHOUSE_POLICY")));
        assertThat(verified.summary()).isEqualTo(summary);
        assertThat(verified.statement().predicateType()).isEqualTo(VerificationSummary.PREDICATE_TYPE);
    }

    @Test
    void signatureByAnotherKeyOrOverAlteredPayloadIsNoValidSignature() throws Exception {
        byte[] envelope = signed(VsaFixtures.passed());
        assertThatThrownBy(() -> VsaVerifier.verify(envelope, OTHER.publicKey(), SIGNER.keyId(), VsaFixtures.expect(List.of())))
                .isInstanceOf(VsaException.class).hasMessageContaining("(ErrorNoValidSignature)");
        byte[] altered = edit(envelope, e -> {
            String payload = new String(Base64.getDecoder().decode(e.get("payload").asText()));
            e.put("payload", Base64.getEncoder().encodeToString(payload.replace("PASSED", "PASSEd").getBytes()));
        });
        assertThat(failure(altered, SIGNER.keyId(), VsaFixtures.expect(List.of()))).isEqualTo(SlsaVerifierError.NO_VALID_SIGNATURE);
    }

    @Test
    void signatureNamingAnotherKeyIdIsSkippedAndAnUnnamedOneIsTried() throws Exception {
        byte[] envelope = signed(VsaFixtures.passed());
        assertThat(failure(envelope, "another-key", VsaFixtures.expect(List.of()))).isEqualTo(SlsaVerifierError.NO_VALID_SIGNATURE);
        // No key id given: the SSH fingerprint is expected, which the envelope's key id is not.
        assertThat(failure(envelope, "", VsaFixtures.expect(List.of()))).isEqualTo(SlsaVerifierError.NO_VALID_SIGNATURE);
        byte[] unnamed = edit(envelope, e -> ((ObjectNode) e.get("signatures").get(0)).put("keyid", ""));
        VsaVerifier.verify(unnamed, SIGNER.publicKey(), "", VsaFixtures.expect(List.of()));
        byte[] byFingerprint = edit(envelope, e -> ((ObjectNode) e.get("signatures").get(0))
                .put("keyid", KeyFingerprint.sha256(SIGNER.publicKey()).orElseThrow()));
        VsaVerifier.verify(byFingerprint, SIGNER.publicKey(), null, VsaFixtures.expect(List.of()));
    }

    @Test
    void ecdsaSignatureInIeeeP1363FormVerifies() throws Exception {
        byte[] envelope = signed(VsaFixtures.passed());
        byte[] p1363 = edit(envelope, e -> {
            ObjectNode sig = (ObjectNode) e.get("signatures").get(0);
            ASN1Sequence der = ASN1Sequence.getInstance(Base64.getDecoder().decode(sig.get("sig").asText()));
            byte[] raw = new byte[64];
            copy(((ASN1Integer) der.getObjectAt(0)).getValue(), raw, 0);
            copy(((ASN1Integer) der.getObjectAt(1)).getValue(), raw, 32);
            sig.put("sig", Base64.getEncoder().encodeToString(raw));
        });
        VsaVerifier.verify(p1363, SIGNER.publicKey(), SIGNER.keyId(), VsaFixtures.expect(List.of()));
    }

    @Test
    void expectationsAreCheckedInSlsaVerifiersOrderWithItsErrors() throws Exception {
        byte[] envelope = signed(VsaFixtures.passed());
        String id = SIGNER.keyId();
        assertThat(failure(envelope, id, new VsaVerifier.Expectations(List.of(), "x", "y", List.of())))
                .isEqualTo(SlsaVerifierError.EMPTY_REQUIRED_FIELD);
        assertThat(failure(envelope, id, new VsaVerifier.Expectations(List.of("sha256:" + "0".repeat(64)), "x", "y", List.of())))
                .isEqualTo(SlsaVerifierError.MISSING_SUBJECT_DIGEST);
        assertThat(failure(envelope, id, new VsaVerifier.Expectations(List.of("nocolon"), "x", "y", List.of())))
                .isEqualTo(SlsaVerifierError.INVALID_PAYLOAD);
        assertThat(failure(envelope, id, new VsaVerifier.Expectations(List.of(VsaFixtures.IMAGE.toString()), "x", "y", List.of())))
                .isEqualTo(SlsaVerifierError.MISMATCHED_VERIFIER_ID);
        assertThat(failure(envelope, id, new VsaVerifier.Expectations(List.of(VsaFixtures.IMAGE.toString()), VsaFixtures.VERIFIER,
                "oci://elsewhere", List.of()))).isEqualTo(SlsaVerifierError.MISMATCHED_RESOURCE_URI);
        assertThat(failure(envelope, id, VsaFixtures.expect(List.of("SLSA_BUILD_LEVEL_3"))))
                .isEqualTo(SlsaVerifierError.MISMATCHED_VERIFIED_LEVELS);
        assertThat(failure(envelope, id, VsaFixtures.expect(List.of("SLSA_SOURCE_LEVEL_1"))))
                .isEqualTo(SlsaVerifierError.MISMATCHED_VERIFIED_LEVELS);
        assertThat(failure(envelope, id, VsaFixtures.expect(List.of("FEDRAMP_LOW"))))
                .isEqualTo(SlsaVerifierError.MISMATCHED_VERIFIED_LEVELS);
        assertThat(failure(envelope, id, VsaFixtures.expect(List.of("SLSA_BUILD_LEVEL_x"))))
                .isEqualTo(SlsaVerifierError.INVALID_SLSA_LEVEL);
        assertThat(failure(envelope, id, VsaFixtures.expect(List.of("SLSA_BUILD_2"))))
                .isEqualTo(SlsaVerifierError.INVALID_SLSA_LEVEL);
        VsaVerifier.verify(envelope, SIGNER.publicKey(), id, VsaFixtures.expect(List.of("SLSA_BUILD_LEVEL_0", "SLSA_BUILD_LEVEL_2")));
    }

    @Test
    void failedVerificationIsRejectedEvenWhenEverythingElseMatches() throws Exception {
        byte[] envelope = signed(VsaFixtures.summary(VerificationSummary.Result.FAILED, List.of("SLSA_BUILD_LEVEL_2")));
        assertThat(failure(envelope, SIGNER.keyId(), VsaFixtures.expect(List.of()))).isEqualTo(SlsaVerifierError.NOT_PASSED);
    }

    @Test
    void malformedEnvelopesAndOtherPayloadsAreInvalidPayloads() throws Exception {
        assertThat(failure("{\"payload\":".getBytes(), "", VsaFixtures.expect(List.of()))).isEqualTo(SlsaVerifierError.INVALID_PAYLOAD);
        assertThat(failure("{\"payloadType\":\"x\",\"payload\":\"e30=\",\"signatures\":[]}".getBytes(), "", VsaFixtures.expect(List.of())))
                .isEqualTo(SlsaVerifierError.NO_VALID_SIGNATURE);
        byte[] provenance = new VsaPublisher(SIGNER).sign(VsaFixtures.passed()).json();
        byte[] otherType = edit(provenance, e -> {
            String payload = new String(Base64.getDecoder().decode(e.get("payload").asText()));
            e.put("payload", Base64.getEncoder().encodeToString(payload.replace(VerificationSummary.PREDICATE_TYPE,
                    "https://slsa.dev/provenance/v1").getBytes()));
        });
        byte[] resigned = dev.gatehouse.signing.DsseSigner.sign("application/vnd.in-toto+json",
                Base64.getDecoder().decode(UntrustedJson.mapper().readTree(otherType).get("payload").asText()), SIGNER).json();
        assertThat(failure(resigned, SIGNER.keyId(), VsaFixtures.expect(List.of()))).isEqualTo(SlsaVerifierError.INVALID_PAYLOAD);
    }

    private static void copy(BigInteger n, byte[] into, int at) {
        byte[] b = n.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, into, at + 32 - len, len);
    }

    private static byte[] edit(byte[] envelope, Consumer<ObjectNode> change) throws Exception {
        ObjectNode node = (ObjectNode) UntrustedJson.mapper().readTree(envelope);
        change.accept(node);
        return UntrustedJson.mapper().writeValueAsBytes(node);
    }
}
