package dev.gatehouse.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.Signer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Produces DSSE envelopes (https://github.com/secure-systems-lab/dsse) signed with a {@link Signer}. */
public final class DsseSigner {

    private DsseSigner() {}

    /** The DSSE v1 pre-authentication encoding: what the signature covers. */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** A serialised DSSE envelope and the one signature it carries. */
    public record SignedEnvelope(byte[] json, byte[] signature) {}

    /** A JSON DSSE envelope with one signature over {@code payload}. */
    public static SignedEnvelope sign(String payloadType, byte[] payload, Signer signer) throws Signer.SigningException {
        byte[] signature = signer.sign(pae(payloadType, payload));
        ObjectNode envelope = UntrustedJson.mapper().createObjectNode();
        envelope.put("payloadType", payloadType);
        envelope.put("payload", Base64.getEncoder().encodeToString(payload));
        ObjectNode sig = envelope.putArray("signatures").addObject();
        sig.put("keyid", signer.keyId());
        sig.put("sig", Base64.getEncoder().encodeToString(signature));
        try {
            return new SignedEnvelope(UntrustedJson.mapper().writeValueAsBytes(envelope), signature);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a DSSE envelope", e);
        }
    }
}
