package dev.gatehouse.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A DSSE envelope (https://github.com/secure-systems-lab/dsse): a typed payload and signatures
 * over its pre-authentication encoding. Signatures may carry a PEM certificate ({@code cert}),
 * as slsa-github-generator writes them.
 */
public record DsseEnvelope(String payloadType, byte[] payload, List<Signature> signatures) {

    public static final String FORMAT = "DSSE envelope";
    public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
    static final int MAX_SIGNATURES = 16;

    /** One signature; {@code sig} is null when it is not valid base64 (it then verifies nothing). */
    public record Signature(String keyId, byte[] sig, String rawSig, String certificatePem) {}

    public DsseEnvelope {
        signatures = List.copyOf(signatures);
    }

    public static DsseEnvelope parse(byte[] json) throws MalformedInputException {
        return fromJson(UntrustedJson.parseObject(json, FORMAT), "");
    }

    /** Reads an envelope from a JSON object found at {@code pointer} of a larger document. */
    public static DsseEnvelope fromJson(JsonNode node, String pointer) throws MalformedInputException {
        if (!node.isObject()) {
            throw new MalformedInputException(FORMAT, orRoot(pointer), "expected an object");
        }
        String payloadType = text(node, "payloadType", pointer);
        byte[] payload = base64(text(node, "payload", pointer), pointer + "/payload");
        JsonNode sigs = node.get("signatures");
        if (sigs == null || !sigs.isArray()) {
            throw new MalformedInputException(FORMAT, pointer + "/signatures", "missing or not an array");
        }
        if (sigs.size() > MAX_SIGNATURES) {
            throw new MalformedInputException(FORMAT, pointer + "/signatures", "more than " + MAX_SIGNATURES + " signatures");
        }
        List<Signature> signatures = new ArrayList<>();
        for (int i = 0; i < sigs.size(); i++) {
            JsonNode s = sigs.get(i);
            String at = pointer + "/signatures/" + i;
            if (!s.isObject()) {
                throw new MalformedInputException(FORMAT, at, "expected an object");
            }
            String raw = s.path("sig").isTextual() ? s.get("sig").asText() : "";
            String keyId = s.path("keyid").isTextual() ? s.get("keyid").asText() : "";
            String cert = s.path("cert").isTextual() && !s.get("cert").asText().isEmpty() ? s.get("cert").asText() : null;
            signatures.add(new Signature(keyId, decodeSignature(raw), raw, cert));
        }
        return new DsseEnvelope(payloadType, payload, signatures);
    }

    /** The DSSE v1 pre-authentication encoding: the bytes every signature covers. */
    public byte[] pae() {
        return pae(payloadType, payload);
    }

    public static byte[] pae(String payloadType, byte[] payload) {
        return dev.gatehouse.signature.SignatureCheck.pae(payloadType, payload);
    }

    public boolean isInToto() {
        return IN_TOTO_PAYLOAD_TYPE.equals(payloadType);
    }

    /** Standard base64 first, then URL-safe: signers use either. Null when neither decodes. */
    static byte[] decodeSignature(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(raw);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(raw);
            } catch (IllegalArgumentException e2) {
                return null;
            }
        }
    }

    private static String text(JsonNode node, String field, String pointer) throws MalformedInputException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new MalformedInputException(FORMAT, pointer + "/" + field, "missing or not a string");
        }
        return v.asText();
    }

    private static byte[] base64(String value, String pointer) throws MalformedInputException {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(FORMAT, pointer, "not valid base64");
        }
    }

    private static String orRoot(String pointer) {
        return pointer.isEmpty() ? "/" : pointer;
    }
}
