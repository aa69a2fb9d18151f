package dev.gatehouse.vsa;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The key id DSSE verifiers derive for a key that has none: the OpenSSH SHA-256 fingerprint
 * ({@code SHA256:} and the unpadded base64 of the SHA-256 of the key in SSH wire format), as
 * go-securesystemslib computes it and slsa-verifier's verify-vsa therefore expects when no
 * {@code --public-key-id} is given.
 */
public final class KeyFingerprint {

    private KeyFingerprint() {}

    /** The fingerprint, or empty for a key SSH has no format for (e.g. an unnamed EC curve). */
    public static Optional<String> sha256(PublicKey key) {
        byte[] wire;
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            String curve = switch (bits) {
                case 256 -> "nistp256";
                case 384 -> "nistp384";
                case 521 -> "nistp521";
                default -> null;
            };
            if (curve == null) {
                return Optional.empty();
            }
            // The uncompressed point is the BIT STRING of the SubjectPublicKeyInfo.
            byte[] point = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
            wire = concat(string("ecdsa-sha2-" + curve), string(curve), string(point));
        } else if (key instanceof RSAPublicKey rsa) {
            wire = concat(string("ssh-rsa"), mpint(rsa.getPublicExponent()), mpint(rsa.getModulus()));
        } else if (key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA")) {
            byte[] raw = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
            wire = concat(string("ssh-ed25519"), string(raw));
        } else {
            return Optional.empty();
        }
        byte[] digest = dev.gatehouse.oci.Digest.newSha256().digest(wire);
        return Optional.of("SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest));
    }

    private static byte[] string(String s) {
        return string(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] string(byte[] b) {
        byte[] out = new byte[4 + b.length];
        out[0] = (byte) (b.length >>> 24);
        out[1] = (byte) (b.length >>> 16);
        out[2] = (byte) (b.length >>> 8);
        out[3] = (byte) b.length;
        System.arraycopy(b, 0, out, 4, b.length);
        return out;
    }

    private static byte[] mpint(BigInteger n) {
        return string(n.toByteArray());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }
}
