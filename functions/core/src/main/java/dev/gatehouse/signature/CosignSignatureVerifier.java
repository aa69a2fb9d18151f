package dev.gatehouse.signature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.signature.SigstoreBundleVerifier.Artifact;
import dev.gatehouse.signature.VerificationOutcome.Rejected;
import dev.gatehouse.signature.VerificationOutcome.Verified;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a signature in cosign's OCI form: signature bytes, an optional Fulcio certificate and
 * chain (PEM), and an optional Rekor bundle (SignedEntryTimestamp + Payload), against one
 * {@link Authority}. The same checks serve simple-signing payloads ({@code .sig}) and DSSE
 * envelopes ({@code .att}, through {@link #verify(SigstoreBundle.Content, Artifact, Evidence, Authority)}).
 */
public final class CosignSignatureVerifier {

    private static final int MAX_PEM_BYTES = 64 * 1024;
    private static final int MAX_REKOR_BUNDLE_BYTES = 1024 * 1024;

    private CosignSignatureVerifier() {}

    /**
     * The material cosign stores next to a signature (layer annotations); each part may be null.
     * {@code rekorBundleJson} is the {@code dev.sigstore.cosign/bundle} annotation.
     */
    public record Evidence(String certificatePem, String chainPem, String rekorBundleJson) {}

    /** A signature over arbitrary bytes (a simple-signing payload, a DSSE PAE...). */
    public static VerificationOutcome verifyBytes(byte[] signed, byte[] signature, Evidence evidence, Authority authority) {
        return verify(new SigstoreBundle.MessageSignature(null, null, signature), Artifact.ofBytes(signed), evidence,
                authority);
    }

    /**
     * A DSSE envelope (cosign attestation layer) whose in-toto statement must name
     * {@code subjectSha256} among its subjects.
     */
    public static VerificationOutcome verifyDsse(String payloadType, byte[] payload, byte[] signature, byte[] subjectSha256,
            Evidence evidence, Authority authority) {
        return verify(new SigstoreBundle.DsseEnvelope(payloadType, payload, List.of(signature)),
                Artifact.ofDigest(subjectSha256), evidence, authority);
    }

    static VerificationOutcome verify(SigstoreBundle.Content content, Artifact artifact, Evidence evidence, Authority authority) {
        try {
            return check(content, artifact, evidence, authority);
        } catch (MalformedInputException e) {
            return new Rejected(e.getMessage());
        }
    }

    private static VerificationOutcome check(SigstoreBundle.Content content, Artifact artifact, Evidence evidence,
            Authority authority) throws MalformedInputException {
        X509Certificate leaf = null;
        PublicKey key;
        String signer;
        if (authority.signer() instanceof SignerExpectation.Key k) {
            key = k.key();
            signer = "key " + k.name() + " (" + PublicKeys.describe(key) + ")";
        } else {
            if (evidence.certificatePem() == null || evidence.certificatePem().isBlank()) {
                return new Rejected("no certificate: the signature is not keyless");
            }
            List<X509Certificate> chain = new ArrayList<>(certificates(evidence.certificatePem(), "certificate"));
            if (chain.size() != 1) {
                return new Rejected("the certificate annotation must hold exactly one certificate");
            }
            if (evidence.chainPem() != null && !evidence.chainPem().isBlank()) {
                chain.addAll(certificates(evidence.chainPem(), "certificate chain"));
            }
            leaf = chain.get(0);
            Optional<String> untrusted = SigstoreBundleVerifier.checkFulcioChain(authority.root().get(), chain);
            if (untrusted.isPresent()) {
                return new Rejected(untrusted.get());
            }
            Optional<String> otherIdentity = SigstoreBundleVerifier.checkIdentity(authority.signer(), leaf);
            if (otherIdentity.isPresent()) {
                return new Rejected(otherIdentity.get());
            }
            key = leaf.getPublicKey();
            signer = SigstoreBundleVerifier.describe(leaf);
        }
        Optional<String> bad = SigstoreBundleVerifier.checkSignature(content, artifact, key);
        if (bad.isPresent()) {
            return new Rejected(bad.get());
        }
        List<Instant> times = new ArrayList<>();
        boolean hasLogEntry = evidence.rekorBundleJson() != null && !evidence.rekorBundleJson().isBlank();
        if (authority.tlog() == TlogRequirement.REQUIRED && !hasLogEntry) {
            return new Rejected("no transparency log entry, and authority '" + authority.name() + "' requires one");
        }
        if (hasLogEntry && authority.tlog() != TlogRequirement.NONE) {
            SigstoreBundle.TlogEntry entry = rekorBundle(evidence.rekorBundleJson());
            Optional<String> mismatch = LogEntryBody.mismatch(entry,
                    new LogEntryBody.Expected(content, artifact.sha256(), leaf, key));
            if (mismatch.isPresent()) {
                return new Rejected(mismatch.get());
            }
            try {
                TransparencyLogCheck.prove(authority.root().get(), entry).integratedTime().ifPresent(times::add);
            } catch (TransparencyLogCheck.Failure e) {
                return new Rejected(e.getMessage());
            }
        }
        if (leaf != null && !(times.isEmpty() && authority.tlog() == TlogRequirement.INSECURE_OPTIONAL_FOR_KEYLESS)) {
            if (times.isEmpty()) {
                return new Rejected("no verified signing time for the certificate");
            }
            Optional<String> outside = SigstoreBundleVerifier.checkSigningTimes(leaf, times);
            if (outside.isPresent()) {
                return new Rejected(outside.get());
            }
        }
        return new Verified(signer, authority.name(), List.copyOf(times), Optional.ofNullable(leaf));
    }

    private static List<X509Certificate> certificates(String pem, String what) throws MalformedInputException {
        if (pem.length() > MAX_PEM_BYTES) {
            throw new MalformedInputException("cosign " + what, "", "longer than " + MAX_PEM_BYTES + " characters");
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new MalformedInputException("cosign " + what, "", "no PEM certificate");
            }
            return out;
        } catch (CertificateException | ClassCastException e) {
            throw new MalformedInputException("cosign " + what, "", "not a PEM X.509 certificate");
        }
    }

    /** cosign's {@code dev.sigstore.cosign/bundle}: {SignedEntryTimestamp, Payload{body, integratedTime, logIndex, logID}}. */
    static SigstoreBundle.TlogEntry rekorBundle(String json) throws MalformedInputException {
        String format = "cosign Rekor bundle";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonNode root = UntrustedJson.parse(bytes, format, MAX_REKOR_BUNDLE_BYTES);
        JsonNode payload = root.path("Payload");
        JsonNode set = root.path("SignedEntryTimestamp");
        if (!payload.isObject() || !set.isTextual()) {
            throw new MalformedInputException(format, "/", "expected SignedEntryTimestamp and Payload");
        }
        JsonNode index = payload.path("logIndex");
        JsonNode time = payload.path("integratedTime");
        if (!index.canConvertToLong() || !time.canConvertToLong() || index.asLong() < 0 || time.asLong() <= 0) {
            throw new MalformedInputException(format, "/Payload", "logIndex and integratedTime must be non-negative integers");
        }
        byte[] logId;
        try {
            logId = HexFormat.of().parseHex(payload.path("logID").asText(""));
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(format, "/Payload/logID", "not hexadecimal");
        }
        byte[] body = SigstoreBundle.decode(payload.path("body"), "/Payload/body");
        JsonNode parsedBody = UntrustedJson.parseObject(body, "Rekor entry body");
        return new SigstoreBundle.TlogEntry(index.asLong(), logId, parsedBody.path("kind").asText(""),
                parsedBody.path("apiVersion").asText(""), time.asLong(), SigstoreBundle.decode(set, "/SignedEntryTimestamp"),
                null, body);
    }
}
