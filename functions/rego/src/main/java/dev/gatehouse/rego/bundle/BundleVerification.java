package dev.gatehouse.rego.bundle;

import java.security.PublicKey;

/**
 * How bundle signatures are checked.
 *
 * @param key               public key (RSA for RS256, EC P-256 for ES256); null when none is configured
 * @param keyId             expected {@code keyid}/{@code kid}, or null to accept any
 * @param signatureRequired reject bundles that are unsigned (and configurations without a key)
 */
public record BundleVerification(PublicKey key, String keyId, boolean signatureRequired) {

    /** No key: signatures are not checked and not required. */
    public static final BundleVerification NONE = new BundleVerification(null, null, false);

    /** Reads a PEM public key (SubjectPublicKeyInfo, RSA or EC). */
    public static PublicKey parsePublicKeyPem(String pem) throws BundleException {
        String b64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = java.util.Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new BundleException("verification key: not a PEM public key");
        }
        for (String alg : new String[] {"RSA", "EC"}) {
            try {
                return java.security.KeyFactory.getInstance(alg).generatePublic(new java.security.spec.X509EncodedKeySpec(der));
            } catch (java.security.GeneralSecurityException ignored) {
                // try the next key type
            }
        }
        throw new BundleException("verification key: not an RSA or EC public key");
    }
}
