package dev.gatehouse.signature;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;

/**
 * Raw signature checks over bytes or over a SHA-256 digest, for the key types cosign and Sigstore
 * use. ECDSA signatures are ASN.1 DER; P-384 and P-521 keys are tried with their own curve hash
 * first, then SHA-256 (cosign signs with SHA-256 whatever the curve).
 */
public final class SignatureCheck {

    private SignatureCheck() {}

    /** True when {@code signature} by {@code key} covers {@code data}; never throws on a bad signature. */
    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        for (String algorithm : algorithms(key)) {
            try {
                Signature verifier = instance(algorithm);
                verifier.initVerify(key);
                verifier.update(data);
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // a malformed signature is a failed one
            }
        }
        return false;
    }

    /**
     * True when {@code signature} covers a message whose SHA-256 is {@code sha256}: what a verifier
     * given only a digest can check. Ed25519 (pure) cannot be checked this way.
     */
    public static boolean verifySha256Digest(PublicKey key, byte[] sha256, byte[] signature) {
        try {
            if (key instanceof ECPublicKey) {
                Signature verifier = Signature.getInstance("NONEwithECDSA");
                verifier.initVerify(key);
                verifier.update(sha256);
                return verifier.verify(signature);
            }
            if (key instanceof RSAPublicKey) {
                Signature pkcs1 = Signature.getInstance("NONEwithRSA");
                pkcs1.initVerify(key);
                pkcs1.update(new DigestInfo(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE), sha256)
                        .getEncoded());
                if (pkcs1.verify(signature)) {
                    return true;
                }
                Signature pss = Signature.getInstance("NONEwithRSASSA-PSS", new org.bouncycastle.jce.provider.BouncyCastleProvider());
                pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                pss.initVerify(key);
                pss.update(sha256);
                return pss.verify(signature);
            }
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            return false;
        }
        return false;
    }

    private static List<String> algorithms(PublicKey key) {
        List<String> out = new ArrayList<>();
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            if (bits > 256) {
                out.add(bits > 384 ? "SHA512withECDSA" : "SHA384withECDSA");
            }
            out.add("SHA256withECDSA");
        } else if (key instanceof RSAPublicKey) {
            out.add("SHA256withRSA");
            out.add("RSASSA-PSS");
        } else {
            out.add("Ed25519");
        }
        return out;
    }

    private static Signature instance(String algorithm) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(algorithm);
        if (algorithm.equals("RSASSA-PSS")) {
            signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        return signature;
    }

    /** The DSSE v1 pre-authentication encoding: what a DSSE signature covers. */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }
}
