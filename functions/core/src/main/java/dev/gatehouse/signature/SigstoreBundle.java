package dev.gatehouse.signature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.InputFiles;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A Sigstore bundle (v0.1, v0.2, v0.3), read strictly from its protobuf-JSON form: every field
 * verification relies on is present, decodes, and has the shape its version requires.
 */
public record SigstoreBundle(
        String mediaType,
        int minorVersion,
        Material material,
        List<TlogEntry> tlogEntries,
        List<byte[]> rfc3161Timestamps,
        Content content) {

    static final String FORMAT = "Sigstore bundle";
    private static final int MAX_BYTES = 8 * 1024 * 1024;
    private static final int MAX_ENTRIES = 32;
    private static final int MAX_CERTIFICATES = 10;

    /** What verifies the signature: a certificate chain (leaf first) or a managed key named by a hint. */
    public sealed interface Material permits CertificateChain, PublicKeyHint {}

    public record CertificateChain(List<X509Certificate> certificates) implements Material {
        public X509Certificate leaf() {
            return certificates.get(0);
        }
    }

    public record PublicKeyHint(String hint) implements Material {}

    /** What was signed: an artifact digest (message signature) or a DSSE envelope. */
    public sealed interface Content permits MessageSignature, DsseEnvelope {
        /** The signature bytes that timestamps cover. */
        byte[] signature();
    }

    /** {@code digest} may be null: it is an unauthenticated hint, checked against the artifact when present. */
    public record MessageSignature(String digestAlgorithm, byte[] digest, byte[] signature) implements Content {}

    public record DsseEnvelope(String payloadType, byte[] payload, List<byte[]> signatures) implements Content {
        @Override
        public byte[] signature() {
            return signatures.get(0);
        }

        public byte[] pae() {
            return SignatureCheck.pae(payloadType, payload);
        }
    }

    /** A transparency log entry with its promise (SET) and/or proof. */
    public record TlogEntry(long logIndex, byte[] logId, String kind, String version, long integratedTime,
            byte[] signedEntryTimestamp, InclusionProof inclusionProof, byte[] canonicalizedBody) {}

    public record InclusionProof(long logIndex, byte[] rootHash, long treeSize, List<byte[]> hashes, String checkpoint) {}

    /** Reads a bundle file; a missing, unreadable or oversized file is a one-line error. */
    public static SigstoreBundle read(java.nio.file.Path file) throws MalformedInputException {
        return parse(InputFiles.read(file, FORMAT, MAX_BYTES));
    }

    public static SigstoreBundle parse(byte[] json) throws MalformedInputException {
        JsonNode root = UntrustedJson.parse(json, FORMAT, MAX_BYTES);
        if (!root.isObject()) {
            throw bad("/", "expected a JSON object");
        }
        String mediaType = text(root, "mediaType", "/mediaType");
        int minor = minorVersion(mediaType);
        JsonNode vm = object(root, "verificationMaterial", "/verificationMaterial");
        Material material = material(vm);
        List<TlogEntry> entries = new ArrayList<>();
        JsonNode tlog = vm.path("tlogEntries");
        if (!tlog.isMissingNode() && !tlog.isArray()) {
            throw bad("/verificationMaterial/tlogEntries", "expected an array");
        }
        if (tlog.size() > MAX_ENTRIES) {
            throw bad("/verificationMaterial/tlogEntries", "more than " + MAX_ENTRIES + " entries");
        }
        for (int i = 0; i < tlog.size(); i++) {
            entries.add(entry(tlog.get(i), "/verificationMaterial/tlogEntries/" + i, minor));
        }
        List<byte[]> timestamps = new ArrayList<>();
        JsonNode tsList = vm.path("timestampVerificationData").path("rfc3161Timestamps");
        for (int i = 0; i < tsList.size() && i < MAX_ENTRIES; i++) {
            timestamps.add(base64(tsList.get(i), "signedTimestamp",
                    "/verificationMaterial/timestampVerificationData/rfc3161Timestamps/" + i + "/signedTimestamp"));
        }
        boolean hasMessage = present(root, "messageSignature");
        boolean hasDsse = present(root, "dsseEnvelope");
        if (hasMessage == hasDsse) {
            throw bad("/", "expected exactly one of messageSignature and dsseEnvelope");
        }
        Content content = hasMessage ? messageSignature(object(root, "messageSignature", "/messageSignature"))
                : dsse(object(root, "dsseEnvelope", "/dsseEnvelope"));
        return new SigstoreBundle(mediaType, minor, material, List.copyOf(entries), List.copyOf(timestamps), content);
    }

    static int minorVersion(String mediaType) throws MalformedInputException {
        return switch (mediaType) {
            case "application/vnd.dev.sigstore.bundle+json;version=0.1" -> 1;
            case "application/vnd.dev.sigstore.bundle+json;version=0.2" -> 2;
            case "application/vnd.dev.sigstore.bundle+json;version=0.3",
                    "application/vnd.dev.sigstore.bundle.v0.3+json" -> 3;
            default -> throw bad("/mediaType", "unsupported bundle version '" + mediaType + "'");
        };
    }

    private static Material material(JsonNode vm) throws MalformedInputException {
        int kinds = (present(vm, "certificate") ? 1 : 0) + (present(vm, "x509CertificateChain") ? 1 : 0)
                + (present(vm, "publicKey") ? 1 : 0);
        if (kinds != 1) {
            throw bad("/verificationMaterial", "expected exactly one of certificate, x509CertificateChain and publicKey");
        }
        if (present(vm, "publicKey")) {
            return new PublicKeyHint(vm.path("publicKey").path("hint").asText(""));
        }
        List<X509Certificate> certs = new ArrayList<>();
        if (present(vm, "certificate")) {
            certs.add(certificate(vm.path("certificate"), "/verificationMaterial/certificate"));
        } else {
            JsonNode list = vm.path("x509CertificateChain").path("certificates");
            if (!list.isArray() || list.isEmpty()) {
                throw bad("/verificationMaterial/x509CertificateChain/certificates", "empty certificate chain");
            }
            if (list.size() > MAX_CERTIFICATES) {
                throw bad("/verificationMaterial/x509CertificateChain/certificates", "more than " + MAX_CERTIFICATES + " certificates");
            }
            for (int i = 0; i < list.size(); i++) {
                certs.add(certificate(list.get(i), "/verificationMaterial/x509CertificateChain/certificates/" + i));
            }
        }
        return new CertificateChain(List.copyOf(certs));
    }

    private static X509Certificate certificate(JsonNode node, String where) throws MalformedInputException {
        byte[] der = base64(node, "rawBytes", where + "/rawBytes");
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw bad(where, "not a DER X.509 certificate");
        }
    }

    private static TlogEntry entry(JsonNode e, String where, int minor) throws MalformedInputException {
        long logIndex = number(e, "logIndex", where);
        if (logIndex < 0) {
            throw bad(where + "/logIndex", "negative log index");
        }
        byte[] logId = base64(object(e, "logId", where + "/logId"), "keyId", where + "/logId/keyId");
        JsonNode kv = object(e, "kindVersion", where + "/kindVersion");
        String kind = text(kv, "kind", where + "/kindVersion/kind");
        String version = text(kv, "version", where + "/kindVersion/version");
        long integratedTime = present(e, "integratedTime") ? number(e, "integratedTime", where) : 0;
        if (integratedTime < 0) {
            throw bad(where + "/integratedTime", "negative time");
        }
        byte[] set = null;
        if (present(e, "inclusionPromise")) {
            set = base64(e.path("inclusionPromise"), "signedEntryTimestamp", where + "/inclusionPromise/signedEntryTimestamp");
        }
        InclusionProof proof = null;
        if (present(e, "inclusionProof")) {
            JsonNode p = object(e, "inclusionProof", where + "/inclusionProof");
            String pw = where + "/inclusionProof";
            List<byte[]> hashes = new ArrayList<>();
            JsonNode hs = p.path("hashes");
            if (hs.size() > 64) {
                throw bad(pw + "/hashes", "more than 64 hashes");
            }
            for (int i = 0; i < hs.size(); i++) {
                hashes.add(decode(hs.get(i), pw + "/hashes/" + i));
            }
            long proofIndex = number(p, "logIndex", pw);
            long treeSize = number(p, "treeSize", pw);
            if (proofIndex < 0 || treeSize <= proofIndex) {
                throw bad(pw, "log index " + proofIndex + " is not inside a tree of size " + treeSize);
            }
            String checkpoint = p.path("checkpoint").path("envelope").asText("");
            if (!checkpoint.isEmpty()) {
                proof = new InclusionProof(proofIndex, base64(p, "rootHash", pw + "/rootHash"), treeSize, List.copyOf(hashes), checkpoint);
            } else if (minor >= 2) {
                throw bad(pw + "/checkpoint", "missing checkpoint");
            }
        }
        if (minor == 1 && set == null) {
            throw bad(where, "a v0.1 bundle needs an inclusion promise");
        }
        if (minor >= 2 && proof == null) {
            throw bad(where, "a v0.2+ bundle needs an inclusion proof");
        }
        byte[] body = base64(e, "canonicalizedBody", where + "/canonicalizedBody");
        return new TlogEntry(logIndex, logId, kind, version, integratedTime, set, proof, body);
    }

    private static MessageSignature messageSignature(JsonNode m) throws MalformedInputException {
        byte[] signature = base64(m, "signature", "/messageSignature/signature");
        if (!present(m, "messageDigest")) {
            return new MessageSignature(null, null, signature);
        }
        JsonNode d = m.path("messageDigest");
        return new MessageSignature(text(d, "algorithm", "/messageSignature/messageDigest/algorithm"),
                base64(d, "digest", "/messageSignature/messageDigest/digest"), signature);
    }

    private static DsseEnvelope dsse(JsonNode d) throws MalformedInputException {
        byte[] payload = base64(d, "payload", "/dsseEnvelope/payload");
        String type = text(d, "payloadType", "/dsseEnvelope/payloadType");
        JsonNode sigs = d.path("signatures");
        if (!sigs.isArray() || sigs.size() != 1) {
            throw bad("/dsseEnvelope/signatures", "expected exactly one signature");
        }
        return new DsseEnvelope(type, payload, List.of(base64(sigs.get(0), "sig", "/dsseEnvelope/signatures/0/sig")));
    }

    private static JsonNode object(JsonNode parent, String field, String where) throws MalformedInputException {
        JsonNode node = parent.path(field);
        if (!node.isObject()) {
            throw bad(where, node.isMissingNode() ? "missing" : "expected an object");
        }
        return node;
    }

    private static String text(JsonNode parent, String field, String where) throws MalformedInputException {
        JsonNode node = parent.path(field);
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw bad(where, node.isMissingNode() ? "missing" : "expected a non-empty string");
        }
        return node.asText();
    }

    /** protobuf-JSON writes int64 as a string (a JSON number is accepted too) and omits zero. */
    private static long number(JsonNode parent, String field, String where) throws MalformedInputException {
        JsonNode node = parent.path(field);
        if (node.isMissingNode()) {
            return 0;
        }
        try {
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.asLong();
            }
            if (node.isTextual()) {
                return Long.parseLong(node.asText());
            }
        } catch (NumberFormatException e) {
            throw bad(where + "/" + field, "not an integer");
        }
        throw bad(where + "/" + field, node.isMissingNode() ? "missing" : "not an integer");
    }

    private static byte[] base64(JsonNode parent, String field, String where) throws MalformedInputException {
        JsonNode node = parent.path(field);
        if (node.isMissingNode()) {
            throw bad(where, "missing");
        }
        byte[] out = decode(node, where);
        if (out.length == 0) {
            throw bad(where, "empty");
        }
        return out;
    }

    /** Standard or URL-safe base64, as protobuf-JSON accepts; nothing else. */
    static byte[] decode(JsonNode node, String where) throws MalformedInputException {
        if (!node.isTextual()) {
            throw bad(where, "expected a base64 string");
        }
        String text = node.asText();
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException standard) {
            try {
                return Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException urlSafe) {
                throw bad(where, "invalid base64");
            }
        }
    }

    private static MalformedInputException bad(String where, String problem) {
        return new MalformedInputException(FORMAT, where, problem);
    }

    /** Protobuf JSON: a field set to null is a field not set. */
    private static boolean present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }
}
