package dev.gatehouse.signature;

import dev.gatehouse.io.InputFiles;
import dev.gatehouse.io.MalformedInputException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** PEM public keys (SubjectPublicKeyInfo) as cosign and Sigstore write them: ECDSA, RSA, Ed25519. */
public final class PublicKeys {

    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";
    private static final int MAX_PEM_CHARS = 64 * 1024;

    private PublicKeys() {}

    /** Reads a PEM public key file. */
    public static PublicKey read(java.nio.file.Path file) throws MalformedInputException {
        byte[] pem = InputFiles.read(file, "PEM public key", MAX_PEM_CHARS);
        return fromPem(new String(pem, java.nio.charset.StandardCharsets.US_ASCII), file.toString());
    }

    /** Parses one PEM block {@code -----BEGIN PUBLIC KEY-----}; {@code source} names it in errors. */
    public static PublicKey fromPem(String pem, String source) throws MalformedInputException {
        if (pem.length() > MAX_PEM_CHARS) {
            throw new MalformedInputException("PEM public key", source, "longer than " + MAX_PEM_CHARS + " characters");
        }
        int from = pem.indexOf(BEGIN);
        int to = pem.indexOf(END, Math.max(from, 0));
        if (from < 0 || to < 0) {
            throw new MalformedInputException("PEM public key", source, "expected a '" + BEGIN + "' block");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(from + BEGIN.length(), to));
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException("PEM public key", source, "body is not valid base64");
        }
        return fromDer(der, source);
    }

    /** Parses a DER SubjectPublicKeyInfo. */
    public static PublicKey fromDer(byte[] der, String source) throws MalformedInputException {
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // try the next algorithm: SPKI names its own, but JCA wants it up front
            }
        }
        throw new MalformedInputException("PEM public key", source, "not an ECDSA, RSA or Ed25519 public key");
    }

    /** A short human description such as "ECDSA P-256" for reports. */
    public static String describe(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            return "ECDSA P-" + ec.getParams().getCurve().getField().getFieldSize();
        }
        if (key instanceof RSAPublicKey rsa) {
            return "RSA-" + rsa.getModulus().bitLength();
        }
        return key.getAlgorithm();
    }

    /** Same key, whatever provider produced either object. */
    public static boolean same(PublicKey a, PublicKey b) {
        return java.util.Arrays.equals(a.getEncoded(), b.getEncoded());
    }
}
