package dev.gatehouse.signing;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.signature.SignatureCheck;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;

/**
 * A detached signature over a whole file, as {@code cosign sign-blob} writes it: the base64 of the
 * signature (ASN.1 DER for ECDSA) over the file's bytes, hashed with SHA-256. It verifies with
 * {@code cosign verify-blob --key KEY.pub --signature FILE.sig FILE}, and after base64 decoding with
 * {@code openssl dgst -sha256 -verify KEY.pub -signature SIG FILE}; raw DER signatures are read too.
 */
public record DetachedSignature(byte[] signature) {

    public static final String FORMAT = "detached signature";
    /** A signature file is one short line; anything much larger is not one. */
    public static final int MAX_BYTES = 16 * 1024;

    public DetachedSignature {
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The file content: base64 and a newline. */
    public byte[] encoded() {
        return (Base64.getEncoder().encodeToString(signature) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads a signature file: base64 text (cosign), or raw DER (openssl); {@code source} names it in errors. */
    public static DetachedSignature parse(byte[] content, String source) throws MalformedInputException {
        if (content.length == 0 || content.length > MAX_BYTES) {
            throw new MalformedInputException(FORMAT, source, content.length == 0 ? "empty" : "larger than " + MAX_BYTES + " bytes");
        }
        if ((content[0] & 0xff) == 0x30) {
            return new DetachedSignature(content);
        }
        String text = new String(content, StandardCharsets.US_ASCII).strip();
        try {
            byte[] decoded = Base64.getDecoder().decode(text);
            if (decoded.length == 0) {
                throw new MalformedInputException(FORMAT, source, "empty");
            }
            return new DetachedSignature(decoded);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(FORMAT, source, "neither base64 nor a DER signature");
        }
    }

    /** True when this signature by {@code key} covers {@code content}. */
    public boolean verifies(PublicKey key, byte[] content) {
        return SignatureCheck.verify(key, content, signature);
    }
}
