package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;

/**
 * JSON Web Keys (RFC 7517) as the io.jwt builtins take them: a single key or a key set whose first
 * key is used, materialised as an HMAC secret, an RSA, EC (P-256/384/521) or Ed25519 key.
 */
final class JwkKeys {

    private JwkKeys() {
    }

    /** The first key of a JWK or JWK set given as JSON text. */
    static ObjectValue first(String json) throws BuiltinException {
        Value parsed;
        try {
            parsed = ValueJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw BuiltinException.error("failed to parse JWK: " + e.getMessage());
        }
        if (parsed instanceof ObjectValue set && set.get("keys") instanceof ArrayValue keys) {
            if (keys.elements().isEmpty() || !(keys.elements().get(0) instanceof ObjectValue key)) {
                throw BuiltinException.error("failed to parse JWK: empty key set");
            }
            return key;
        }
        if (!(parsed instanceof ObjectValue key)) {
            throw BuiltinException.error("failed to parse JWK: not an object");
        }
        return key;
    }

    /** The signing key: the secret of an {@code oct} key, else the private key. */
    static Key signingKey(ObjectValue jwk) throws BuiltinException {
        String kty = field(jwk, "kty");
        try {
            return switch (kty) {
                case "oct" -> {
                    byte[] k = bytes(jwk, "k");
                    yield new SecretKeySpec(k.length == 0 ? new byte[1] : k, "HMAC");
                }
                case "RSA" -> rsaPrivate(jwk);
                case "EC" -> KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(integer(jwk, "d"), curve(field(jwk, "crv"))));
                case "OKP" -> KeyFactory.getInstance("Ed25519").generatePrivate(
                        new EdECPrivateKeySpec(okpCurve(jwk), bytes(jwk, "d")));
                default -> throw BuiltinException.error("failed to parse JWK: unsupported key type " + kty);
            };
        } catch (GeneralSecurityException e) {
            throw BuiltinException.error("failed to materialize JWK: " + e.getMessage());
        }
    }

    /** The public key of an RSA, EC or OKP key. */
    static PublicKey publicKey(ObjectValue jwk) throws BuiltinException {
        String kty = field(jwk, "kty");
        try {
            return switch (kty) {
                case "RSA" -> KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(integer(jwk, "n"), integer(jwk, "e")));
                case "EC" -> KeyFactory.getInstance("EC").generatePublic(
                        new ECPublicKeySpec(new ECPoint(integer(jwk, "x"), integer(jwk, "y")), curve(field(jwk, "crv"))));
                case "OKP" -> {
                    okpCurve(jwk);
                    byte[] x = bytes(jwk, "x");
                    if (x.length != 32) {
                        throw BuiltinException.error("failed to parse JWK: x is not a 32-byte Ed25519 key");
                    }
                    boolean xOdd = (x[x.length - 1] & 0x80) != 0;
                    byte[] le = x.clone();
                    le[le.length - 1] &= 0x7f;
                    byte[] be = new byte[le.length];
                    for (int i = 0; i < le.length; i++) {
                        be[i] = le[le.length - 1 - i];
                    }
                    yield KeyFactory.getInstance("Ed25519").generatePublic(
                            new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, be))));
                }
                default -> throw BuiltinException.error("failed to parse JWK: unsupported key type " + kty);
            };
        } catch (GeneralSecurityException e) {
            throw BuiltinException.error("failed to materialize JWK: " + e.getMessage());
        }
    }

    private static PrivateKey rsaPrivate(ObjectValue jwk) throws GeneralSecurityException, BuiltinException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        if (jwk.get("p") != null && jwk.get("q") != null && jwk.get("dp") != null && jwk.get("dq") != null && jwk.get("qi") != null) {
            return rsa.generatePrivate(new RSAPrivateCrtKeySpec(integer(jwk, "n"), integer(jwk, "e"), integer(jwk, "d"),
                    integer(jwk, "p"), integer(jwk, "q"), integer(jwk, "dp"), integer(jwk, "dq"), integer(jwk, "qi")));
        }
        return rsa.generatePrivate(new RSAPrivateKeySpec(integer(jwk, "n"), integer(jwk, "d")));
    }

    private static NamedParameterSpec okpCurve(ObjectValue jwk) throws BuiltinException {
        String crv = field(jwk, "crv");
        if (!crv.equals("Ed25519")) {
            throw BuiltinException.error("failed to parse JWK: unsupported OKP curve " + crv);
        }
        return NamedParameterSpec.ED25519;
    }

    static ECParameterSpec curve(String crv) throws GeneralSecurityException, BuiltinException {
        String name = switch (crv) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            case "P-521" -> "secp521r1";
            default -> throw BuiltinException.error("failed to parse JWK: unsupported curve " + crv);
        };
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(name));
        return params.getParameterSpec(ECParameterSpec.class);
    }

    private static String field(ObjectValue jwk, String name) throws BuiltinException {
        if (!(jwk.get(name) instanceof StringValue s)) {
            throw BuiltinException.error("failed to parse JWK: missing " + name);
        }
        return s.value();
    }

    private static byte[] bytes(ObjectValue jwk, String name) throws BuiltinException {
        try {
            return Base64.getUrlDecoder().decode(field(jwk, name).replaceAll("=+$", ""));
        } catch (IllegalArgumentException e) {
            throw BuiltinException.error("failed to parse JWK: " + name + " is not base64url");
        }
    }

    private static BigInteger integer(ObjectValue jwk, String name) throws BuiltinException {
        return new BigInteger(1, bytes(jwk, name));
    }
}
