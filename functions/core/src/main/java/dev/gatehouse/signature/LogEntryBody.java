package dev.gatehouse.signature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checks that a transparency log entry body records exactly what is being verified: the same
 * digest, signature and signer. Kinds: hashedrekord 0.0.1 and 0.0.2, dsse 0.0.1 and 0.0.2,
 * intoto 0.0.1 and 0.0.2. Every other kind is a mismatch.
 */
final class LogEntryBody {

    private LogEntryBody() {}

    /** What the entry must record: the signed content, the artifact digest and who signed. */
    record Expected(SigstoreBundle.Content content, byte[] artifactSha256, X509Certificate certificate, PublicKey key) {}

    /** Empty when the body matches; otherwise why not. */
    static Optional<String> mismatch(SigstoreBundle.TlogEntry entry, Expected expected) {
        JsonNode body;
        try {
            body = UntrustedJson.parseObject(entry.canonicalizedBody(), "transparency log entry body");
        } catch (MalformedInputException e) {
            return Optional.of(e.getMessage());
        }
        String kind = body.path("kind").asText("");
        String version = body.path("apiVersion").asText("");
        if (!kind.equals(entry.kind()) || !version.equals(entry.version())) {
            return Optional.of("log entry body is " + kind + " " + version + " but the bundle says "
                    + entry.kind() + " " + entry.version());
        }
        JsonNode spec = body.path("spec");
        try {
            return switch (kind + " " + version) {
                case "hashedrekord 0.0.1" -> hashedRekordV1(spec, expected);
                case "hashedrekord 0.0.2" -> hashedRekordV2(spec.path("hashedRekordV002"), expected);
                case "dsse 0.0.1" -> dsseV1(spec, expected);
                case "dsse 0.0.2" -> dsseV2(spec.path("dsseV002"), expected);
                case "intoto 0.0.1" -> intotoV1(spec, expected);
                case "intoto 0.0.2" -> intotoV2(spec.path("content"), expected);
                default -> Optional.of("unsupported log entry kind " + kind + " " + version);
            };
        } catch (IllegalArgumentException e) {
            return Optional.of("log entry body has a malformed field: " + e.getMessage());
        }
    }

    private static Optional<String> hashedRekordV1(JsonNode spec, Expected expected) {
        if (!(expected.content() instanceof SigstoreBundle.MessageSignature message)) {
            return Optional.of("a hashedrekord 0.0.1 entry cannot record a DSSE envelope");
        }
        JsonNode hash = spec.path("data").path("hash");
        if (!hash.path("algorithm").asText().equals("sha256")
                || !hash.path("value").asText().equalsIgnoreCase(HexFormat.of().formatHex(expected.artifactSha256()))) {
            return Optional.of("log entry records a different artifact digest");
        }
        if (!Arrays.equals(b64(spec.path("signature").path("content")), message.signature())) {
            return Optional.of("log entry records a different signature");
        }
        return signerPem(b64(spec.path("signature").path("publicKey").path("content")), expected);
    }

    private static Optional<String> hashedRekordV2(JsonNode spec, Expected expected) {
        JsonNode data = spec.path("data");
        byte[] digest = expected.content() instanceof SigstoreBundle.DsseEnvelope dsse
                ? sha256(dsse.pae()) : expected.artifactSha256();
        if (!data.path("algorithm").asText().equals("SHA2_256") || !Arrays.equals(b64(data.path("digest")), digest)) {
            return Optional.of("log entry records a different digest");
        }
        if (!Arrays.equals(b64(spec.path("signature").path("content")), expected.content().signature())) {
            return Optional.of("log entry records a different signature");
        }
        return signerV2(spec.path("signature").path("verifier"), expected);
    }

    private static Optional<String> dsseV1(JsonNode spec, Expected expected) {
        if (!(expected.content() instanceof SigstoreBundle.DsseEnvelope dsse)) {
            return Optional.of("a dsse entry cannot record a message signature");
        }
        if (spec.has("proposedContent")) {
            return dsseProposedContent(spec.path("proposedContent"), dsse, expected);
        }
        JsonNode payloadHash = spec.path("payloadHash");
        if (!payloadHash.path("algorithm").asText().equals("sha256")
                || !payloadHash.path("value").asText().equalsIgnoreCase(HexFormat.of().formatHex(sha256(dsse.payload())))) {
            return Optional.of("log entry records a different DSSE payload");
        }
        JsonNode signatures = spec.path("signatures");
        if (signatures.size() != dsse.signatures().size()) {
            return Optional.of("log entry records a different number of DSSE signatures");
        }
        for (JsonNode sig : signatures) {
            if (!Arrays.equals(b64(sig.path("signature")), dsse.signature())) {
                return Optional.of("log entry records a different DSSE signature");
            }
            Optional<String> signer = signerPem(b64(sig.path("verifier")), expected);
            if (signer.isPresent()) {
                return signer;
            }
        }
        return Optional.empty();
    }

    /** The dsse 0.0.1 body as proposed (the whole envelope and its verifiers), as some logs store it. */
    private static Optional<String> dsseProposedContent(JsonNode proposed, SigstoreBundle.DsseEnvelope dsse, Expected expected) {
        JsonNode envelope;
        try {
            envelope = UntrustedJson.parseObject(proposed.path("envelope").asText("").getBytes(StandardCharsets.UTF_8),
                    "DSSE envelope in a log entry");
        } catch (MalformedInputException e) {
            return Optional.of(e.getMessage());
        }
        if (!envelope.path("payloadType").asText().equals(dsse.payloadType())
                || !Arrays.equals(b64(envelope.path("payload")), dsse.payload())) {
            return Optional.of("log entry records a different DSSE payload");
        }
        JsonNode signatures = envelope.path("signatures");
        if (signatures.size() != 1 || !Arrays.equals(b64(signatures.get(0).path("sig")), dsse.signature())) {
            return Optional.of("log entry records a different DSSE signature");
        }
        JsonNode verifiers = proposed.path("verifiers");
        if (verifiers.size() != 1) {
            return Optional.of("log entry must record exactly one verifier");
        }
        return signerPem(b64(verifiers.get(0)), expected);
    }

    private static Optional<String> dsseV2(JsonNode spec, Expected expected) {
        if (!(expected.content() instanceof SigstoreBundle.DsseEnvelope dsse)) {
            return Optional.of("a dsse entry cannot record a message signature");
        }
        JsonNode payloadHash = spec.path("payloadHash");
        if (!payloadHash.path("algorithm").asText().equals("SHA2_256")
                || !Arrays.equals(b64(payloadHash.path("digest")), sha256(dsse.payload()))) {
            return Optional.of("log entry records a different DSSE payload");
        }
        JsonNode signatures = spec.path("signatures");
        if (signatures.size() != 1 || !Arrays.equals(b64(signatures.get(0).path("content")), dsse.signature())) {
            return Optional.of("log entry records a different DSSE signature");
        }
        return signerV2(signatures.get(0).path("verifier"), expected);
    }

    /**
     * intoto 0.0.1 (cosign attestations before 2023): the payload's hash and the signer's PEM. Its
     * envelope hash covers the JSON bytes as first submitted, which a re-serialised envelope cannot
     * reproduce; the envelope's signature is verified over this payload by this signer separately.
     */
    private static Optional<String> intotoV1(JsonNode spec, Expected expected) {
        if (!(expected.content() instanceof SigstoreBundle.DsseEnvelope dsse)) {
            return Optional.of("an intoto entry cannot record a message signature");
        }
        JsonNode payloadHash = spec.path("content").path("payloadHash");
        if (!payloadHash.path("algorithm").asText().equals("sha256")
                || !payloadHash.path("value").asText().equalsIgnoreCase(HexFormat.of().formatHex(sha256(dsse.payload())))) {
            return Optional.of("log entry records a different DSSE payload");
        }
        return signerPem(b64(spec.path("publicKey")), expected);
    }

    private static Optional<String> intotoV2(JsonNode content, Expected expected) {
        if (!(expected.content() instanceof SigstoreBundle.DsseEnvelope dsse)) {
            return Optional.of("an intoto entry cannot record a message signature");
        }
        JsonNode envelope = content.path("envelope");
        if (!envelope.path("payloadType").asText().equals(dsse.payloadType())) {
            return Optional.of("log entry records a different DSSE payload type");
        }
        JsonNode payloadHash = content.path("payloadHash");
        if (!payloadHash.path("algorithm").asText().equals("sha256")
                || !payloadHash.path("value").asText().equalsIgnoreCase(HexFormat.of().formatHex(sha256(dsse.payload())))) {
            return Optional.of("log entry records a different DSSE payload");
        }
        JsonNode signatures = envelope.path("signatures");
        if (signatures.size() != dsse.signatures().size()) {
            return Optional.of("log entry records a different number of DSSE signatures");
        }
        for (JsonNode sig : signatures) {
            // intoto 0.0.2 stores signatures base64-encoded twice
            byte[] once = b64(sig.path("sig"));
            byte[] signature = decodesAsBase64(once).orElse(once);
            if (!Arrays.equals(signature, dsse.signature())) {
                return Optional.of("log entry records a different DSSE signature");
            }
            Optional<String> signer = signerPem(b64(sig.path("publicKey")), expected);
            if (signer.isPresent()) {
                return signer;
            }
        }
        return Optional.empty();
    }

    /** A PEM certificate or public key in the body must be the bundle's signer. */
    private static Optional<String> signerPem(byte[] pemBytes, Expected expected) {
        String pem = new String(pemBytes, StandardCharsets.US_ASCII);
        try {
            if (pem.contains("-----BEGIN CERTIFICATE-----")) {
                X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pemBytes));
                return expected.certificate() != null && expected.certificate().equals(cert)
                        ? Optional.empty() : Optional.of("log entry records a different signing certificate");
            }
            PublicKey key = PublicKeys.fromPem(pem, "log entry body");
            return expected.key() != null && expected.certificate() == null && PublicKeys.same(key, expected.key())
                    ? Optional.empty() : Optional.of("log entry records a different public key");
        } catch (java.security.cert.CertificateException | MalformedInputException | ClassCastException e) {
            return Optional.of("log entry records an unreadable signer");
        }
    }

    private static Optional<String> signerV2(JsonNode verifier, Expected expected) {
        try {
            if (verifier.has("x509Certificate")) {
                byte[] der = b64(verifier.path("x509Certificate").path("rawBytes"));
                return expected.certificate() != null && Arrays.equals(der, expected.certificate().getEncoded())
                        ? Optional.empty() : Optional.of("log entry records a different signing certificate");
            }
            byte[] spki = b64(verifier.path("publicKey").path("rawBytes"));
            return expected.certificate() == null && expected.key() != null && Arrays.equals(spki, expected.key().getEncoded())
                    ? Optional.empty() : Optional.of("log entry records a different public key");
        } catch (CertificateEncodingException e) {
            return Optional.of("log entry records an unreadable signer");
        }
    }

    private static Optional<byte[]> decodesAsBase64(byte[] bytes) {
        try {
            return Optional.of(Base64.getDecoder().decode(bytes));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] b64(JsonNode node) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException("expected a base64 string");
        }
        return Base64.getDecoder().decode(node.asText());
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }
}
