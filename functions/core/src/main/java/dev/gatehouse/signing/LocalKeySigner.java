package dev.gatehouse.signing;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A signing key held in process (PEM, PKCS#8): for `gatehouse serve`, the demo and tests. ECDSA
 * P-256 is the default, as cosign and KMS ECC_NIST_P256 keys use.
 */
public final class LocalKeySigner implements Signer {

    private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    public LocalKeySigner(KeyPair keyPair, String keyId) {
        this.privateKey = keyPair.getPrivate();
        this.publicKey = keyPair.getPublic();
        this.keyId = keyId == null ? defaultKeyId(publicKey) : keyId;
    }

    /** A fresh ECDSA P-256 key, for throwaway signing (demo images, tests). */
    public static LocalKeySigner generate(String keyId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new LocalKeySigner(generator.generateKeyPair(), keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks ECDSA P-256", e);
        }
    }

    /** Reads an unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}): EC, RSA or Ed25519. */
    public static LocalKeySigner fromPem(Path file, String keyId) throws IOException, Signer.SigningException {
        return fromPem(Files.readString(file, StandardCharsets.US_ASCII), keyId);
    }

    public static LocalKeySigner fromPem(String pem, String keyId) throws Signer.SigningException {
        byte[] der = Pem.decode(pem, "PRIVATE KEY");
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                return new LocalKeySigner(new KeyPair(publicKeyOf(key), key), keyId);
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                // not this algorithm; try the next one
            }
        }
        throw new Signer.SigningException("private key is not a PKCS#8 EC, RSA or Ed25519 key");
    }

    @Override
    public byte[] sign(byte[] data) throws Signer.SigningException {
        try {
            Signature signature = Signature.getInstance(signatureAlgorithm(privateKey));
            signature.initSign(privateKey);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new Signer.SigningException("local key could not sign: " + e.getMessage(), e);
        }
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public String keyId() {
        return keyId;
    }

    /** The private key as PKCS#8 PEM, for handing a throwaway key to another process. */
    public String privateKeyPem() {
        return Pem.encode("PRIVATE KEY", privateKey.getEncoded());
    }

    public String publicKeyPem() {
        return Pem.encode("PUBLIC KEY", publicKey.getEncoded());
    }

    /** The key id Gatehouse derives when none is configured: the SHA-256 of the SubjectPublicKeyInfo. */
    public static String defaultKeyId(PublicKey key) {
        return Digest.sha256(key.getEncoded()).toString();
    }

    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        };
    }

    private static PublicKey publicKeyOf(PrivateKey key) throws GeneralSecurityException, IOException {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        }
        if (key instanceof ECPrivateKey ec) {
            // Q = d*G on the key's curve; the JDK has no API for it, BouncyCastle does.
            var bcKey = (org.bouncycastle.jce.interfaces.ECPrivateKey)
                    KeyFactory.getInstance("EC", BOUNCY_CASTLE).generatePrivate(new PKCS8EncodedKeySpec(ec.getEncoded()));
            var params = bcKey.getParameters();
            var q = params.getG().multiply(bcKey.getD()).normalize();
            return KeyFactory.getInstance("EC", BOUNCY_CASTLE)
                    .generatePublic(new org.bouncycastle.jce.spec.ECPublicKeySpec(q, params));
        }
        var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
        byte[] seed = org.bouncycastle.asn1.ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
        byte[] spki = new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
                        info.getPrivateKeyAlgorithm(),
                        new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded())
                .getEncoded();
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
