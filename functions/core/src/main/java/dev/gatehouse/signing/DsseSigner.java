package dev.gatehouse.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.signature.SignatureCheck;
import java.util.Base64;

/** Produces DSSE envelopes (https://github.com/secure-systems-lab/dsse) signed with a {@link Signer}. */
public final class DsseSigner {

    private DsseSigner() {}

    /** A serialised DSSE envelope and the one signature it carries. */
    public record SignedEnvelope(byte[] json, byte[] signature) {}

    /** A JSON DSSE envelope with one signature over {@code payload}. */
    public static SignedEnvelope sign(String payloadType, byte[] payload, Signer signer) throws Signer.SigningException {
        byte[] signature = signer.sign(SignatureCheck.pae(payloadType, payload));
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
