package dev.gatehouse.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.attestation.ProvenanceException.Kind;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.signature.CertificateIdentity;
import dev.gatehouse.signature.SignerExpectation;
import dev.gatehouse.signature.SigstoreBundle;
import dev.gatehouse.signature.SigstoreBundleVerifier;
import dev.gatehouse.signature.VerificationOutcome;
import dev.sigstore.trustroot.TransparencyLog;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Verifies the signature on a DSSE envelope in the three shapes provenance arrives in: a Sigstore
 * bundle (certificate, signature and transparency-log proof, verified by dev.gatehouse.signature
 * against the trusted root), a cosign attestation layer (certificate, chain and Rekor signed entry timestamp in
 * annotations), and a bare envelope with the certificate inside its signature, which carries no
 * log proof and is accepted only with {@code insecureIgnoreTlog}.
 */
final class EnvelopeSignatures {

    private static final SignerExpectation ANY_FULCIO_IDENTITY = new SignerExpectation.Identity(
            new CertificateIdentity(CertificateIdentity.StringMatch.regexp(".*"), CertificateIdentity.StringMatch.regexp(".*")));

    static final String COSIGN_CERTIFICATE = "dev.sigstore.cosign/certificate";
    static final String COSIGN_BUNDLE = "dev.sigstore.cosign/bundle";

    private EnvelopeSignatures() {}

    static SignedEnvelope fromBundle(byte[] json, JsonNode parsed, SigstoreTrust trust) throws ProvenanceException {
        DsseEnvelope envelope;
        try {
            envelope = DsseEnvelope.fromJson(parsed.path("dsseEnvelope"), "/dsseEnvelope");
        } catch (MalformedInputException e) {
            throw new ProvenanceException(Kind.INVALID_PAYLOAD, "Sigstore bundle: " + e.getMessage(), e);
        }
        if (trust == null) {
            throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "a Sigstore bundle needs --trusted-root to be verified offline");
        }
        SigstoreBundle bundle;
        try {
            bundle = SigstoreBundle.parse(json);
        } catch (MalformedInputException e) {
            throw new ProvenanceException(Kind.INVALID_FORMAT, e.getMessage(), e);
        }
        if (!(bundle.material() instanceof SigstoreBundle.CertificateChain chain)) {
            throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "Sigstore bundle is signed with a managed key, not a builder certificate");
        }
        VerificationOutcome outcome = trust.bundleVerifier().verify(bundle,
                SigstoreBundleVerifier.Artifact.ofDigest(subjectDigest(envelope)), ANY_FULCIO_IDENTITY);
        if (outcome instanceof VerificationOutcome.Rejected rejected) {
            throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "Sigstore bundle: " + rejected.reason());
        }
        return new SignedEnvelope(envelope, chain.leaf(), "Sigstore bundle " + bundle.mediaType() + " (Fulcio certificate, transparency log)");
    }

    /**
     * Bundle verification checks the artifact digest against the statement's subjects; the expected
     * artifact is checked later with the statement-level failure kind, so any sha256 subject of the
     * statement is passed here. The builder identity is checked after the signature, as
     * slsa-verifier does, so any Fulcio identity is accepted at this step.
     */
    private static byte[] subjectDigest(DsseEnvelope envelope) throws ProvenanceException {
        try {
            InTotoStatement statement = InTotoStatement.parse(envelope.payload());
            for (InTotoStatement.Subject s : statement.subjects()) {
                String hex = s.digest().get("sha256");
                if (hex != null && hex.length() == 64) {
                    return HexFormat.of().parseHex(hex);
                }
            }
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new ProvenanceException(Kind.INVALID_PAYLOAD, e.getMessage(), e);
        }
        throw new ProvenanceException(Kind.INVALID_PAYLOAD, "no sha256 subject in the statement");
    }

    static SignedEnvelope bare(DsseEnvelope envelope, SigstoreTrust trust, boolean insecureIgnoreTlog) throws ProvenanceException {
        if (!insecureIgnoreTlog) {
            throw new ProvenanceException(Kind.NO_TLOG_PROOF, "a bare DSSE envelope carries no transparency-log entry, and this tool "
                    + "does not search Rekor online; pass --insecure-ignore-tlog to check it without one");
        }
        for (DsseEnvelope.Signature sig : envelope.signatures()) {
            if (sig.certificatePem() == null || sig.sig() == null) {
                continue;
            }
            X509Certificate cert = certificate(sig.certificatePem());
            if (!verifies(cert, envelope.pae(), sig.sig())) {
                continue;
            }
            if (trust != null && !trust.chainsToFulcio(cert, cert.getNotBefore().toInstant())) {
                throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "the signing certificate does not chain to a Fulcio CA of the trusted root");
            }
            return new SignedEnvelope(envelope, cert, "bare DSSE envelope (certificate only, transparency log ignored)");
        }
        throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "no signature verifies with the certificate it carries");
    }

    /** A cosign {@code .att} layer: the envelope, its certificate and Rekor signed entry timestamp from the annotations. */
    static SignedEnvelope cosignLayer(byte[] layer, Map<String, String> annotations, SigstoreTrust trust, boolean insecureIgnoreTlog)
            throws ProvenanceException {
        DsseEnvelope envelope;
        try {
            envelope = DsseEnvelope.parse(layer);
        } catch (MalformedInputException e) {
            throw new ProvenanceException(Kind.INVALID_PAYLOAD, e.getMessage(), e);
        }
        String pem = annotations.get(COSIGN_CERTIFICATE);
        if (pem == null || pem.isEmpty()) {
            throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "cosign attestation layer has no certificate annotation");
        }
        X509Certificate cert = certificate(pem);
        boolean signed = false;
        for (DsseEnvelope.Signature sig : envelope.signatures()) {
            signed |= sig.sig() != null && verifies(cert, envelope.pae(), sig.sig());
        }
        if (!signed) {
            throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "no signature of the attestation verifies with its certificate");
        }
        String setJson = annotations.get(COSIGN_BUNDLE);
        if (setJson == null || setJson.isEmpty()) {
            if (!insecureIgnoreTlog) {
                throw new ProvenanceException(Kind.NO_TLOG_PROOF, "cosign attestation layer has no Rekor bundle annotation");
            }
            return new SignedEnvelope(envelope, cert, "cosign attestation (transparency log ignored)");
        }
        if (trust == null) {
            throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "a cosign attestation needs --trusted-root to be verified offline");
        }
        Instant logged = verifySignedEntryTimestamp(cosignLogEntry(setJson), layer, envelope, cert, trust);
        if (!trust.chainsToFulcio(cert, logged)) {
            throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "the signing certificate does not chain to a Fulcio CA valid at " + logged);
        }
        return new SignedEnvelope(envelope, cert, "cosign attestation (Fulcio certificate, Rekor signed entry timestamp at " + logged + ")");
    }

    /** A Rekor log entry as cosign and bundles carry it, with its signed entry timestamp (inclusion promise). */
    record LogEntry(String bodyBase64, long integratedTime, String logIdHex, long logIndex, String signedEntryTimestamp) {}

    private static LogEntry cosignLogEntry(String setJson) throws ProvenanceException {
        try {
            JsonNode set = UntrustedJson.parseObject(setJson.getBytes(StandardCharsets.UTF_8), "cosign Rekor bundle");
            JsonNode payload = set.path("Payload");
            return new LogEntry(payload.path("body").asText(""), payload.path("integratedTime").asLong(-1),
                    payload.path("logID").asText(""), payload.path("logIndex").asLong(-1), set.path("SignedEntryTimestamp").asText(""));
        } catch (MalformedInputException e) {
            throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, e.getMessage(), e);
        }
    }

    /** Checks the SET over the log entry, and that the entry is this envelope signed with this certificate; returns when it was logged. */
    private static Instant verifySignedEntryTimestamp(LogEntry entry, byte[] envelopeJson, DsseEnvelope envelope, X509Certificate cert,
                                                      SigstoreTrust trust) throws ProvenanceException {
        try {
            TransparencyLog log = trust.rekorLog(HexFormat.of().parseHex(entry.logIdHex())).orElseThrow(() ->
                    new ProvenanceException(Kind.NO_VALID_SIGNATURE, "Rekor log " + entry.logIdHex() + " is not in the trusted root"));
            ObjectNode canonical = UntrustedJson.mapper().createObjectNode();
            canonical.put("body", entry.bodyBase64());
            canonical.put("integratedTime", entry.integratedTime());
            canonical.put("logID", entry.logIdHex());
            canonical.put("logIndex", entry.logIndex());
            java.security.PublicKey key = KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(log.getPublicKey().toJavaPublicKey().getEncoded()));
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(UntrustedJson.mapper().writeValueAsBytes(canonical));
            if (!verifier.verify(Base64.getDecoder().decode(entry.signedEntryTimestamp()))) {
                throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "the Rekor signed entry timestamp does not verify");
            }
            JsonNode body = UntrustedJson.parseObject(Base64.getDecoder().decode(entry.bodyBase64()), "Rekor entry");
            JsonNode spec = body.path("spec");
            String payloadHash = Digest.sha256(envelope.payload()).hex();
            boolean sameEnvelope = (envelopeJson != null && Digest.sha256(envelopeJson).hex().equals(spec.path("envelopeHash").path("value").asText()))
                    || payloadHash.equals(spec.path("payloadHash").path("value").asText())
                    || payloadHash.equals(spec.path("content").path("payloadHash").path("value").asText());
            if (!sameEnvelope) {
                throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "the Rekor entry is for another envelope");
            }
            Instant when = Instant.ofEpochSecond(entry.integratedTime());
            if (when.isBefore(cert.getNotBefore().toInstant()) || when.isAfter(cert.getNotAfter().toInstant())) {
                throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "logged at " + when + ", outside the certificate's validity");
            }
            return when;
        } catch (MalformedInputException e) {
            throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ProvenanceException(Kind.NO_VALID_SIGNATURE, "Rekor signed entry timestamp: " + e.getMessage(), e);
        }
    }

    static X509Certificate certificate(String pem) throws ProvenanceException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new ProvenanceException(Kind.INVALID_CERTIFICATE, "unreadable signing certificate: " + e.getMessage(), e);
        }
    }

    static boolean verifies(X509Certificate cert, byte[] data, byte[] signature) {
        try {
            String algorithm = cert.getPublicKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
