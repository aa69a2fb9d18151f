package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * io.jwt.decode, io.jwt.decode_verify, signature checks of compact JWS tokens with HMAC secrets, PEM keys/certificates
 * or JWKs, and io.jwt.encode_sign/encode_sign_raw with a JWK.
 */
final class JwtBuiltins {

    private JwtBuiltins() {
    }

    /** The three decoded parts of a token plus the signing input and raw signature. */
    private record Token(ObjectValue header, Value payload, byte[] signature, byte[] signingInput) {
    }

    static void register(BuiltinRegistry r) {
        r.register("io.jwt.decode", 1, (a, c) -> {
            Token t = decode(Operands.string(a, 0));
            return ArrayValue.of(t.header(), t.payload(), StringValue.of(HexFormat.of().formatHex(t.signature())));
        });
        for (String bits : new String[] {"256", "384", "512"}) {
            r.register("io.jwt.verify_hs" + bits, 2, (a, c) -> {
                Token t = decode(Operands.string(a, 0));
                byte[] secret = Operands.string(a, 1).getBytes(StandardCharsets.UTF_8);
                try {
                    Mac mac = Mac.getInstance("HmacSHA" + bits);
                    mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, "HmacSHA" + bits));
                    return BooleanValue.of(MessageDigest.isEqual(mac.doFinal(t.signingInput()), t.signature()));
                } catch (GeneralSecurityException e) {
                    return BooleanValue.FALSE;
                }
            });
            r.register("io.jwt.verify_rs" + bits, 2, (a, c) -> verify(a, "SHA" + bits + "withRSA", null, 0));
            r.register("io.jwt.verify_ps" + bits, 2, (a, c) -> verify(a, "RSASSA-PSS", "SHA-" + bits, Integer.parseInt(bits) / 8));
            r.register("io.jwt.verify_es" + bits, 2, (a, c) -> verify(a, "SHA" + bits + "withECDSAinP1363Format", null, 0));
        }
        r.register("io.jwt.verify_eddsa", 2, (a, c) -> verify(a, "Ed25519", null, 0));
        r.register("io.jwt.decode_verify", 2, JwtBuiltins::decodeVerify);
        r.register("io.jwt.encode_sign", 3, (a, c) -> StringValue.of(encodeSign(
                JsonBuiltins.GoJson.marshal(Operands.object(a, 0), null, null),
                JsonBuiltins.GoJson.marshal(Operands.object(a, 1), null, null),
                JsonBuiltins.GoJson.marshal(Operands.object(a, 2), null, null))));
        r.register("io.jwt.encode_sign_raw", 3, (a, c) -> StringValue.of(encodeSign(Operands.string(a, 0), Operands.string(a, 1),
                Operands.string(a, 2))));
    }

    /**
     * OPA's jwtEncodeSign: the header and payload texts exactly as given (base64url, no padding),
     * signed with the JWK's key under the header's {@code alg}. A JWT-typed token needs a JSON payload.
     */
    private static String encodeSign(String header, String payload, String jwk) throws BuiltinException {
        if (!(json(header.getBytes(StandardCharsets.UTF_8), "header") instanceof ObjectValue h)) {
            throw BuiltinException.error("JWT header had invalid encoding: not an object");
        }
        String typ = h.get("typ") instanceof StringValue t ? t.value() : "";
        if (typ.isEmpty() || typ.equals("JWT")) {
            try {
                ValueJson.parse(payload);
            } catch (IllegalArgumentException e) {
                throw BuiltinException.error("type is JWT but payload is not JSON");
            }
        }
        if (!(h.get("alg") instanceof StringValue algValue)) {
            throw BuiltinException.error("unknown signature algorithm");
        }
        String alg = algValue.value();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Key key = JwkKeys.signingKey(JwkKeys.first(jwk));
        byte[] data = input.getBytes(StandardCharsets.US_ASCII);
        try {
            byte[] signature;
            if (alg.equals("EdDSA")) {
                signature = sign("Ed25519", null, 0, key, data);
            } else if (alg.length() == 5 && (alg.endsWith("256") || alg.endsWith("384") || alg.endsWith("512"))) {
                String bits = alg.substring(2);
                signature = switch (alg.substring(0, 2)) {
                    case "HS" -> {
                        if (!(key instanceof SecretKeySpec secret)) {
                            throw BuiltinException.error("invalid key for " + alg + ": need an oct key");
                        }
                        Mac mac = Mac.getInstance("HmacSHA" + bits);
                        mac.init(new SecretKeySpec(secret.getEncoded(), "HmacSHA" + bits));
                        yield mac.doFinal(data);
                    }
                    case "RS" -> sign("SHA" + bits + "withRSA", null, 0, key, data);
                    case "PS" -> sign("RSASSA-PSS", "SHA-" + bits, Integer.parseInt(bits) / 8, key, data);
                    case "ES" -> sign("SHA" + bits + "withECDSAinP1363Format", null, 0, key, data);
                    default -> throw BuiltinException.error("unknown signature algorithm: " + alg);
                };
            } else {
                throw BuiltinException.error("unknown signature algorithm: " + alg);
            }
            return input + "." + b64.encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw BuiltinException.error("failed to sign with " + alg + ": " + e.getMessage());
        }
    }

    private static byte[] sign(String algorithm, String pssHash, int saltLength, Key key, byte[] data)
            throws GeneralSecurityException {
        if (!(key instanceof PrivateKey privateKey)) {
            throw new InvalidKeyException("an oct key has no private key");
        }
        Signature s = Signature.getInstance(algorithm);
        if (pssHash != null) {
            s.setParameter(new PSSParameterSpec(pssHash, "MGF1", new MGF1ParameterSpec(pssHash), saltLength, 1));
        }
        s.initSign(privateKey);
        s.update(data);
        return s.sign();
    }

    private static final ArrayValue INVALID = ArrayValue.of(BooleanValue.FALSE, ObjectValue.of(Map.of()), ObjectValue.of(Map.of()));

    /**
     * OPA's io.jwt.decode_verify: the signature by {@code cert} or {@code secret} with the header's
     * algorithm (which must equal {@code alg} when given), then {@code exp}/{@code nbf} against
     * {@code time} (default: the query's time), {@code iss} and {@code aud}. A token that fails any
     * check gives {@code [false, {}, {}]}; a malformed constraint is an error.
     */
    private static Value decodeVerify(Value[] a, BuiltinContext c) throws BuiltinException {
        String jwt = Operands.string(a, 0);
        ObjectValue constraints = Operands.object(a, 1);
        String cert = null;
        String secret = null;
        String alg = null;
        String iss = null;
        String aud = null;
        BigDecimal time = BigDecimal.valueOf(c.nowNanos());
        for (Map.Entry<Value, Value> e : constraints.entrySet()) {
            String key = ValueJson.keyText(e.getKey());
            Value v = e.getValue();
            switch (key) {
                case "cert" -> cert = constraintString(key, v);
                case "secret" -> secret = constraintString(key, v);
                case "alg" -> alg = constraintString(key, v);
                case "iss" -> iss = constraintString(key, v);
                case "aud" -> aud = constraintString(key, v);
                case "time" -> {
                    if (!(v instanceof NumberValue n)) {
                        throw BuiltinException.error("token time constraint: must be a number");
                    }
                    time = n.decimal();
                }
                default -> throw BuiltinException.error("unknown token validation constraint: " + key);
            }
        }
        if (cert == null && secret == null) {
            throw BuiltinException.error("no key provided: set cert or secret");
        }
        Token t;
        try {
            t = decode(jwt);
        } catch (BuiltinException e) {
            return INVALID;
        }
        String headerAlg = t.header().get(StringValue.of("alg")) instanceof StringValue s ? s.value() : "";
        if (alg != null && !alg.equals(headerAlg) || !signatureValid(t, headerAlg, cert, secret)) {
            return INVALID;
        }
        ObjectValue payload = (ObjectValue) t.payload();
        BigDecimal seconds = time.divide(BigDecimal.valueOf(1_000_000_000L));
        BigDecimal exp = claimTime(payload, "exp");
        if (exp != null && seconds.compareTo(exp) >= 0) {
            return INVALID;
        }
        BigDecimal nbf = claimTime(payload, "nbf");
        if (nbf != null && seconds.compareTo(nbf) < 0) {
            return INVALID;
        }
        if (iss != null && !(payload.get(StringValue.of("iss")) instanceof StringValue tokenIss && tokenIss.value().equals(iss))) {
            return INVALID;
        }
        Value tokenAud = payload.get(StringValue.of("aud"));
        if (tokenAud != null || aud != null) {
            boolean audienceMatches = aud != null && (tokenAud instanceof StringValue one && one.value().equals(aud)
                    || tokenAud instanceof ArrayValue many && many.elements().contains(StringValue.of(aud)));
            if (!audienceMatches) {
                return INVALID;
            }
        }
        return ArrayValue.of(BooleanValue.TRUE, t.header(), payload);
    }

    /** A time claim in seconds, absent as null; present but not a number is an error, as in OPA. */
    private static BigDecimal claimTime(ObjectValue payload, String claim) throws BuiltinException {
        Value v = payload.get(StringValue.of(claim));
        if (v == null) {
            return null;
        }
        if (!(v instanceof NumberValue n)) {
            throw BuiltinException.error(claim + " value must be a number");
        }
        return n.decimal();
    }

    private static String constraintString(String key, Value v) throws BuiltinException {
        if (!(v instanceof StringValue s)) {
            throw BuiltinException.error("token " + key + " constraint: must be a string");
        }
        return s.value();
    }

    private static boolean signatureValid(Token t, String alg, String cert, String secret) throws BuiltinException {
        if (alg.equals("EdDSA")) {
            return cert != null && check(t, publicKey(cert), "Ed25519", null, 0);
        }
        if (alg.length() != 5) {
            return false;
        }
        String family = alg.substring(0, 2);
        String bits = alg.substring(2);
        if (!bits.equals("256") && !bits.equals("384") && !bits.equals("512")) {
            return false;
        }
        if (family.equals("HS")) {
            if (secret == null) {
                return false;
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA" + bits);
                byte[] key = secret.getBytes(StandardCharsets.UTF_8);
                mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA" + bits));
                return MessageDigest.isEqual(mac.doFinal(t.signingInput()), t.signature());
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
        if (cert == null) {
            return false;
        }
        return switch (family) {
            case "RS" -> check(t, publicKey(cert), "SHA" + bits + "withRSA", null, 0);
            case "PS" -> check(t, publicKey(cert), "RSASSA-PSS", "SHA-" + bits, Integer.parseInt(bits) / 8);
            case "ES" -> check(t, publicKey(cert), "SHA" + bits + "withECDSAinP1363Format", null, 0);
            default -> false;
        };
    }

    private static Value verify(Value[] a, String algorithm, String pssHash, int saltLength) throws BuiltinException {
        Token t = decode(Operands.string(a, 0));
        return BooleanValue.of(check(t, publicKey(Operands.string(a, 1)), algorithm, pssHash, saltLength));
    }

    private static boolean check(Token t, PublicKey key, String algorithm, String pssHash, int saltLength) {
        try {
            Signature s = Signature.getInstance(algorithm);
            if (pssHash != null) {
                s.setParameter(new PSSParameterSpec(pssHash, "MGF1", new MGF1ParameterSpec(pssHash), saltLength, 1));
            }
            s.initVerify(key);
            s.update(t.signingInput());
            return s.verify(t.signature());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** A PEM certificate, a PEM public key, or a JWK (set: its first key). */
    private static PublicKey publicKey(String pem) throws BuiltinException {
        if (pem.strip().startsWith("{")) {
            return JwkKeys.publicKey(JwkKeys.first(pem));
        }
        try {
            if (pem.contains("BEGIN CERTIFICATE")) {
                return CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).getPublicKey();
            }
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            byte[] der = Base64.getDecoder().decode(body);
            for (String kind : new String[] {"RSA", "EC", "Ed25519"}) {
                try {
                    return KeyFactory.getInstance(kind).generatePublic(new X509EncodedKeySpec(der));
                } catch (GeneralSecurityException next) {
                    // try the other key type
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw BuiltinException.error("failed to parse a PEM certificate or public key: " + e.getMessage());
        }
        throw BuiltinException.error("failed to parse a PEM certificate or public key");
    }

    private static Token decode(String jwt) throws BuiltinException {
        for (int depth = 0; depth < 8; depth++) {
            String[] parts = jwt.split("\\.", -1);
            if (parts.length == 1) {
                throw BuiltinException.error("encoded JWT had no period separators");
            }
            if (parts.length != 3) {
                throw BuiltinException.error("encoded JWT must have 3 sections, found " + parts.length);
            }
            Value header = json(base64url(parts[0], "JOSE header"), "JOSE header");
            if (!(header instanceof ObjectValue h)) {
                throw BuiltinException.error("JWT header had invalid encoding: not an object");
            }
            if (h.get("enc") != null) {
                throw BuiltinException.error("JWT is a JWE object, which is not supported");
            }
            byte[] payloadBytes = base64url(parts[1], "payload");
            byte[] signature = base64url(parts[2], "signature");
            Value cty = h.get("cty");
            if (cty instanceof StringValue s && s.value().equalsIgnoreCase("JWT")) {
                jwt = new String(payloadBytes, StandardCharsets.UTF_8);
                continue;
            }
            Value payload = json(payloadBytes, "payload");
            if (!(payload instanceof ObjectValue)) {
                throw BuiltinException.error("JWT payload had invalid encoding: not an object");
            }
            byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            return new Token(h, payload, signature, input);
        }
        throw BuiltinException.error("JWT nesting too deep");
    }

    private static byte[] base64url(String s, String what) throws BuiltinException {
        try {
            return Base64.getUrlDecoder().decode(s.replaceAll("=+$", ""));
        } catch (IllegalArgumentException e) {
            throw BuiltinException.error("JWT " + what + " had invalid encoding: " + e.getMessage());
        }
    }

    private static Value json(byte[] bytes, String what) throws BuiltinException {
        try {
            return ValueJson.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw BuiltinException.error("JWT " + what + " had invalid encoding: " + e.getMessage());
        }
    }
}
