package dev.gatehouse.vsa;

import dev.gatehouse.attestation.DsseEnvelope;
import dev.gatehouse.attestation.InTotoStatement;
import dev.gatehouse.attestation.SlsaVerifierError;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.signature.SignatureCheck;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSequence;

/**
 * Verifies a verification summary the way slsa-verifier's verify-vsa does
 * (https://slsa.dev/spec/v1.0/verification_summary#how-to-verify), in the same order so that a
 * failing VSA fails with the same error: the DSSE signature with the given key (a signature whose
 * key id names another key is skipped), the payload type and predicate type, then the subject
 * digests, verifier id, resource URI, the result PASSED, and the verified levels (SLSA track
 * levels at least as high as asked, other levels present).
 */
public final class VsaVerifier {

    private VsaVerifier() {}

    /**
     * What the caller expects. {@code subjectDigests} are {@code TYPE:VALUE} (e.g.
     * {@code sha256:abc...}, {@code gce_image_id:123}) and must all be subjects; {@code verifiedLevels}
     * may be empty.
     */
    public record Expectations(List<String> subjectDigests, String verifierId, String resourceUri, List<String> verifiedLevels) {
        public Expectations {
            subjectDigests = List.copyOf(subjectDigests);
            verifiedLevels = List.copyOf(verifiedLevels);
            verifierId = verifierId == null ? "" : verifierId;
            resourceUri = resourceUri == null ? "" : resourceUri;
        }
    }

    /** A VSA whose signature verified: the statement bytes as signed and the summary read from them. */
    public record VerifiedSummary(VerificationSummary summary, InTotoStatement statement, byte[] statementBytes) {}

    /** Checks the signature and every expectation; the first failure is thrown. */
    public static VerifiedSummary verify(byte[] envelopeJson, PublicKey key, String keyId, Expectations expected) throws VsaException {
        VerifiedSummary verified = verifySignature(envelopeJson, key, keyId);
        matchExpected(verified.summary(), expected);
        return verified;
    }

    /**
     * Checks the DSSE signature with {@code key} and reads the summary. {@code keyId} is the id the
     * key is known by; empty or null means the key's SSH SHA-256 fingerprint ({@link KeyFingerprint}).
     */
    public static VerifiedSummary verifySignature(byte[] envelopeJson, PublicKey key, String keyId) throws VsaException {
        DsseEnvelope envelope;
        try {
            envelope = DsseEnvelope.parse(envelopeJson);
        } catch (MalformedInputException e) {
            throw new VsaException(SlsaVerifierError.INVALID_PAYLOAD, e.getMessage());
        }
        return verifySignature(envelope, key, keyId);
    }

    public static VerifiedSummary verifySignature(DsseEnvelope envelope, PublicKey key, String keyId) throws VsaException {
        if (envelope.signatures().isEmpty()) {
            throw new VsaException(SlsaVerifierError.NO_VALID_SIGNATURE, "the envelope has no signatures");
        }
        String expectedKeyId = keyId == null || keyId.isEmpty() ? KeyFingerprint.sha256(key).orElse("") : keyId;
        byte[] pae = envelope.pae();
        boolean verified = false;
        int skipped = 0;
        for (DsseEnvelope.Signature s : envelope.signatures()) {
            if (!s.keyId().isEmpty() && !expectedKeyId.isEmpty() && !s.keyId().equals(expectedKeyId)) {
                skipped++;
                continue;
            }
            if (s.sig() != null && verifies(key, pae, s.sig())) {
                verified = true;
                break;
            }
        }
        if (!verified) {
            throw new VsaException(SlsaVerifierError.NO_VALID_SIGNATURE, skipped == envelope.signatures().size()
                    ? "no signature is by key id '" + expectedKeyId + "'"
                    : "no signature by key id '" + expectedKeyId + "' verifies with the public key");
        }
        if (!envelope.isInToto()) {
            throw new VsaException(SlsaVerifierError.INVALID_PAYLOAD, "payload type is '" + envelope.payloadType() + "', expected "
                    + DsseEnvelope.IN_TOTO_PAYLOAD_TYPE);
        }
        try {
            InTotoStatement statement = InTotoStatement.parse(envelope.payload());
            return new VerifiedSummary(VerificationSummary.fromStatement(statement), statement, envelope.payload());
        } catch (MalformedInputException e) {
            throw new VsaException(SlsaVerifierError.INVALID_PAYLOAD, e.getMessage());
        }
    }

    /** ECDSA signatures come DER-encoded or, from some signers (KMS-backed keystores), as IEEE P1363 r||s. */
    static boolean verifies(PublicKey key, byte[] data, byte[] signature) {
        if (SignatureCheck.verify(key, data, signature)) {
            return true;
        }
        if (key instanceof ECPublicKey && !isDer(signature) && signature.length % 2 == 0 && signature.length <= 132) {
            int half = signature.length / 2;
            try {
                byte[] der = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                    new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(signature, 0, half))),
                    new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(signature, half, signature.length)))}).getEncoded();
                return SignatureCheck.verify(key, data, der);
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean isDer(byte[] signature) {
        try {
            return ASN1Primitive.fromByteArray(signature) instanceof org.bouncycastle.asn1.ASN1Sequence;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The checks after the signature, in slsa-verifier's order. */
    public static void matchExpected(VerificationSummary vsa, Expectations expected) throws VsaException {
        matchSubjectDigests(vsa, expected.subjectDigests());
        if (vsa.verifierId().isEmpty()) {
            throw new VsaException(SlsaVerifierError.EMPTY_REQUIRED_FIELD, "the VSA has no verifier id");
        }
        if (!vsa.verifierId().equals(expected.verifierId())) {
            throw new VsaException(SlsaVerifierError.MISMATCHED_VERIFIER_ID, "expected '" + expected.verifierId() + "', found '"
                    + vsa.verifierId() + "'");
        }
        if (vsa.resourceUri().isEmpty()) {
            throw new VsaException(SlsaVerifierError.EMPTY_REQUIRED_FIELD, "the VSA has no resource URI");
        }
        if (!vsa.resourceUri().equals(expected.resourceUri())) {
            throw new VsaException(SlsaVerifierError.MISMATCHED_RESOURCE_URI, "expected '" + expected.resourceUri() + "', found '"
                    + vsa.resourceUri() + "'");
        }
        if (vsa.result() != VerificationSummary.Result.PASSED) {
            throw new VsaException(SlsaVerifierError.NOT_PASSED, "the VSA records a failed verification");
        }
        matchVerifiedLevels(vsa.verifiedLevels(), expected.verifiedLevels());
    }

    private static void matchSubjectDigests(VerificationSummary vsa, List<String> expected) throws VsaException {
        if (expected.isEmpty()) {
            throw new VsaException(SlsaVerifierError.EMPTY_REQUIRED_FIELD, "no subject digests given");
        }
        Map<String, Set<String>> present = new HashMap<>();
        vsa.subjects().forEach(s -> s.digest().forEach((type, value) -> present.computeIfAbsent(type, t -> new HashSet<>()).add(value)));
        if (present.isEmpty()) {
            throw new VsaException(SlsaVerifierError.INVALID_PAYLOAD, "the VSA has no subject digests");
        }
        for (String digest : expected) {
            int colon = digest.indexOf(':');
            if (colon < 0) {
                throw new VsaException(SlsaVerifierError.INVALID_PAYLOAD, "subject digest '" + digest + "' is not TYPE:VALUE");
            }
            if (!present.getOrDefault(digest.substring(0, colon), Set.of()).contains(digest.substring(colon + 1))) {
                throw new VsaException(SlsaVerifierError.MISSING_SUBJECT_DIGEST, "'" + digest + "' is not a subject of the VSA");
            }
        }
    }

    /** SLSA track levels ({@code SLSA_<TRACK>_LEVEL_<n>}) must be met or exceeded; other levels must be present. */
    static void matchVerifiedLevels(List<String> present, List<String> expected) throws VsaException {
        Map<String, Integer> wanted = trackLevels(expected);
        Map<String, Integer> got = trackLevels(present);
        for (Map.Entry<String, Integer> w : wanted.entrySet()) {
            Integer level = got.get(w.getKey());
            if (level == null) {
                throw new VsaException(SlsaVerifierError.MISMATCHED_VERIFIED_LEVELS, "no SLSA " + w.getKey() + " level in the VSA");
            }
            if (level < w.getValue()) {
                throw new VsaException(SlsaVerifierError.MISMATCHED_VERIFIED_LEVELS, "expected SLSA " + w.getKey() + " level at least "
                        + w.getValue() + ", found " + level);
            }
        }
        for (String level : expected) {
            if (!isTrackLevel(level) && !present.contains(level)) {
                throw new VsaException(SlsaVerifierError.MISMATCHED_VERIFIED_LEVELS, "level '" + level + "' is not in the VSA");
            }
        }
    }

    private static boolean isTrackLevel(String level) {
        return level.startsWith("SLSA_");
    }

    /** Highest level per track: SLSA_BUILD_LEVEL_2 and SLSA_SOURCE_LEVEL_3 give {BUILD=2, SOURCE=3}. */
    private static Map<String, Integer> trackLevels(List<String> levels) throws VsaException {
        Map<String, Integer> out = new HashMap<>();
        for (String level : levels) {
            if (!isTrackLevel(level)) {
                continue;
            }
            String[] parts = level.split("_", 4);
            if (parts.length != 4 || !parts[2].equals("LEVEL")) {
                throw new VsaException(SlsaVerifierError.INVALID_SLSA_LEVEL, "'" + level + "' is not SLSA_<TRACK>_LEVEL_<n>");
            }
            int n;
            try {
                n = Integer.parseInt(parts[3]);
            } catch (NumberFormatException e) {
                throw new VsaException(SlsaVerifierError.INVALID_SLSA_LEVEL, "'" + level + "' has no level number");
            }
            out.merge(parts[1], n, Math::max);
        }
        return out;
    }
}
