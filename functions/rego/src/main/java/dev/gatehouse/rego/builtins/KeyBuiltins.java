package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * crypto.x509.parse_rsa_private_key, crypto.parse_private_keys and crypto.x509.parse_keypair: PEM
 * private keys (PKCS#1, SEC 1, PKCS#8) as JWK objects, as OPA returns them.
 */
final class KeyBuiltins {

    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }. */
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("300d06092a864886f70d0101010500");

    private KeyBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("crypto.x509.parse_rsa_private_key", 1, (a, c) -> {
            List<Pem.Block> blocks = Pem.blocks(Pem.textOrBase64(Operands.string(a, 0)));
            if (blocks.isEmpty()) {
                throw BuiltinException.error("failed to parse PEM block containing the key");
            }
            PrivateKey key = privateKey(blocks.get(0));
            if (!(key instanceof RSAPrivateCrtKey rsa)) {
                throw BuiltinException.error("PEM block is not an RSA private key");
            }
            return jwk(rsa);
        });
        r.register("crypto.parse_private_keys", 1, (a, c) -> {
            String input = Operands.string(a, 0);
            List<Value> keys = new ArrayList<>();
            if (input.isEmpty()) {
                return ArrayValue.of(keys);
            }
            for (Pem.Block block : Pem.blocks(Pem.textOrBase64(input))) {
                c.charge(1);
                keys.add(jwk(privateKey(block)));
            }
            return ArrayValue.of(keys);
        });
        r.register("crypto.x509.parse_keypair", 2, (a, c) -> {
            List<Pem.Block> certBlocks = Pem.blocks(Pem.textOrBase64(Operands.string(a, 0)));
            List<String> certificates = new ArrayList<>();
            byte[] leafDer = null;
            for (Pem.Block block : certBlocks) {
                if (block.type().equals("CERTIFICATE")) {
                    certificates.add(Base64.getEncoder().encodeToString(block.der()));
                    leafDer = leafDer == null ? block.der() : leafDer;
                }
            }
            if (certificates.isEmpty()) {
                throw BuiltinException.error("tls: failed to find any PEM data in certificate input");
            }
            List<Pem.Block> keyBlocks = Pem.blocks(Pem.textOrBase64(Operands.string(a, 1)));
            if (keyBlocks.isEmpty()) {
                throw BuiltinException.error("tls: failed to find any PEM data in key input");
            }
            PrivateKey key = privateKey(keyBlocks.get(0));
            X509Certificate leaf = GoCertificate.fromDer(leafDer).get(0).jdk;
            if (!matches(leaf, key)) {
                throw BuiltinException.error("tls: private key does not match public key");
            }
            Map<Value, Value> out = new LinkedHashMap<>();
            out.put(StringValue.of("Certificate"), ArrayValue.of(certificates.stream().<Value>map(StringValue::of).toList()));
            return ObjectValue.of(out);
        });
    }

    private static PrivateKey privateKey(Pem.Block block) throws BuiltinException {
        try {
            return switch (block.type()) {
                case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA").generatePrivate(
                        new PKCS8EncodedKeySpec(pkcs8(RSA_ALGORITHM, block.der())));
                case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(sec1ToPkcs8(block.der())));
                case "PRIVATE KEY" -> pkcs8Key(block.der());
                default -> throw BuiltinException.error("unsupported PEM block type " + block.type());
            };
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw BuiltinException.error("failed to parse " + block.type() + ": " + e.getMessage());
        }
    }

    private static PrivateKey pkcs8Key(byte[] der) throws BuiltinException {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException next) {
                // try the next key type
            }
        }
        throw BuiltinException.error("failed to parse PRIVATE KEY: not an RSA, EC or Ed25519 key");
    }

    private static boolean matches(X509Certificate leaf, PrivateKey key) {
        try {
            String algorithm = switch (key.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                default -> "Ed25519";
            };
            byte[] probe = "gatehouse keypair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static ObjectValue jwk(PrivateKey key) throws BuiltinException {
        Map<Value, Value> out = new LinkedHashMap<>();
        if (key instanceof RSAPrivateCrtKey rsa) {
            out.put(StringValue.of("kty"), StringValue.of("RSA"));
            put(out, "n", rsa.getModulus());
            put(out, "e", rsa.getPublicExponent());
            put(out, "d", rsa.getPrivateExponent());
            put(out, "p", rsa.getPrimeP());
            put(out, "q", rsa.getPrimeQ());
            put(out, "dp", rsa.getPrimeExponentP());
            put(out, "dq", rsa.getPrimeExponentQ());
            put(out, "qi", rsa.getCrtCoefficient());
            return ObjectValue.of(out);
        }
        if (key instanceof ECPrivateKey ec) {
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            String crv = switch (size) {
                case 32 -> "P-256";
                case 48 -> "P-384";
                case 66 -> "P-521";
                default -> throw BuiltinException.error("unsupported EC curve");
            };
            ECPoint w = ecPublicPoint(ec);
            out.put(StringValue.of("kty"), StringValue.of("EC"));
            out.put(StringValue.of("crv"), StringValue.of(crv));
            out.put(StringValue.of("x"), StringValue.of(b64(fixed(w.getAffineX(), size))));
            out.put(StringValue.of("y"), StringValue.of(b64(fixed(w.getAffineY(), size))));
            out.put(StringValue.of("d"), StringValue.of(b64(fixed(ec.getS(), size))));
            return ObjectValue.of(out);
        }
        byte[] pkcs8 = key.getEncoded();
        out.put(StringValue.of("kty"), StringValue.of("OKP"));
        out.put(StringValue.of("crv"), StringValue.of("Ed25519"));
        out.put(StringValue.of("d"), StringValue.of(b64(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length))));
        return ObjectValue.of(out);
    }

    /** The public point d·G of an EC private key (double-and-add over the curve's prime field). */
    private static ECPoint ecPublicPoint(ECPrivateKey key) {
        ECParameterSpec params = key.getParams();
        BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
        BigInteger a = params.getCurve().getA();
        ECPoint result = ECPoint.POINT_INFINITY;
        ECPoint addend = params.getGenerator();
        BigInteger k = key.getS();
        for (int i = 0; i < k.bitLength(); i++) {
            if (k.testBit(i)) {
                result = add(result, addend, p, a);
            }
            addend = add(addend, addend, p, a);
        }
        return result;
    }

    private static ECPoint add(ECPoint s, ECPoint t, BigInteger p, BigInteger a) {
        if (s.equals(ECPoint.POINT_INFINITY)) {
            return t;
        }
        if (t.equals(ECPoint.POINT_INFINITY)) {
            return s;
        }
        BigInteger lambda;
        if (s.equals(t)) {
            if (s.getAffineY().signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            lambda = s.getAffineX().pow(2).multiply(BigInteger.valueOf(3)).add(a)
                    .multiply(s.getAffineY().shiftLeft(1).modInverse(p)).mod(p);
        } else {
            if (s.getAffineX().equals(t.getAffineX())) {
                return ECPoint.POINT_INFINITY;
            }
            lambda = t.getAffineY().subtract(s.getAffineY()).multiply(t.getAffineX().subtract(s.getAffineX()).modInverse(p)).mod(p);
        }
        BigInteger x = lambda.pow(2).subtract(s.getAffineX()).subtract(t.getAffineX()).mod(p);
        BigInteger y = lambda.multiply(s.getAffineX().subtract(x)).subtract(s.getAffineY()).mod(p);
        return new ECPoint(x, y);
    }

    private static void put(Map<Value, Value> out, String name, BigInteger n) {
        byte[] bytes = n.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        out.put(StringValue.of(name), StringValue.of(b64(bytes)));
    }

    private static byte[] fixed(BigInteger n, int size) {
        byte[] bytes = n.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(bytes.length, size);
        System.arraycopy(bytes, bytes.length - copy, out, size - copy, copy);
        return out;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** PrivateKeyInfo { version 0, algorithm, OCTET STRING key }. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return tlv(0x30, HexFormat.of().parseHex("020100"), algorithm, tlv(0x04, key));
    }

    /**
     * SEC 1 ECPrivateKey to PKCS#8: the curve OID moves from the key's [0] parameters into the
     * AlgorithmIdentifier { id-ecPublicKey, curve }.
     */
    private static byte[] sec1ToPkcs8(byte[] sec1) {
        byte[] curve = null;
        int[] seq = header(sec1, 0);
        int i = seq[1];
        while (i < sec1.length) {
            int[] h = header(sec1, i);
            if ((sec1[i] & 0xff) == 0xa0) {
                curve = Arrays.copyOfRange(sec1, h[1], h[1] + h[0]);
            }
            i = h[1] + h[0];
        }
        if (curve == null) {
            throw new IllegalArgumentException("EC PRIVATE KEY without a named curve");
        }
        byte[] algorithm = tlv(0x30, HexFormat.of().parseHex("06072a8648ce3d0201"), curve);
        return pkcs8(algorithm, sec1);
    }

    /** {length, offset of the contents} of the DER element at {@code at}. */
    private static int[] header(byte[] der, int at) {
        if (at + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER element");
        }
        int lengthByte = der[at + 1] & 0xff;
        int count = lengthByte < 0x80 ? 0 : lengthByte & 0x7f;
        if (count > 3) {
            throw new IllegalArgumentException("DER length too long");
        }
        if (at + 2 + count > der.length) {
            throw new IllegalArgumentException("truncated DER element");
        }
        int length = count == 0 ? lengthByte : 0;
        for (int k = 0; k < count; k++) {
            length = (length << 8) | (der[at + 2 + k] & 0xff);
        }
        if (length > der.length - (at + 2 + count)) {
            throw new IllegalArgumentException("truncated DER element");
        }
        return new int[] {length, at + 2 + count};
    }

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream contents = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            contents.writeBytes(part);
        }
        int n = contents.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(contents.toByteArray());
        return out.toByteArray();
    }
}
