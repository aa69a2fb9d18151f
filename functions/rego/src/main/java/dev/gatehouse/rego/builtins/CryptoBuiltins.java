package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.StringValue;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Digests and HMACs over the UTF-8 bytes of strings, as lowercase hex. */
final class CryptoBuiltins {

    private CryptoBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("crypto.md5", 1, (a, c) -> digest("MD5", Operands.string(a, 0)));
        r.register("crypto.sha1", 1, (a, c) -> digest("SHA-1", Operands.string(a, 0)));
        r.register("crypto.sha256", 1, (a, c) -> digest("SHA-256", Operands.string(a, 0)));
        r.register("crypto.hmac.md5", 2, (a, c) -> hmac("HmacMD5", Operands.string(a, 0), Operands.string(a, 1)));
        r.register("crypto.hmac.sha1", 2, (a, c) -> hmac("HmacSHA1", Operands.string(a, 0), Operands.string(a, 1)));
        r.register("crypto.hmac.sha256", 2, (a, c) -> hmac("HmacSHA256", Operands.string(a, 0), Operands.string(a, 1)));
        r.register("crypto.hmac.sha512", 2, (a, c) -> hmac("HmacSHA512", Operands.string(a, 0), Operands.string(a, 1)));
        r.register("crypto.hmac.equal", 2, (a, c) -> BooleanValue.of(MessageDigest.isEqual(
                Operands.string(a, 0).getBytes(StandardCharsets.UTF_8), Operands.string(a, 1).getBytes(StandardCharsets.UTF_8))));
    }

    private static StringValue digest(String algorithm, String s) throws BuiltinException {
        try {
            return StringValue.of(HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8))));
        } catch (GeneralSecurityException e) {
            throw BuiltinException.error(algorithm + " unavailable");
        }
    }

    private static StringValue hmac(String algorithm, String message, String key) throws BuiltinException {
        try {
            Mac mac = Mac.getInstance(algorithm);
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            // An empty key is legal for HMAC but not for SecretKeySpec: the padded key is all zeros either way.
            mac.init(new SecretKeySpec(k.length == 0 ? new byte[1] : k, algorithm));
            return StringValue.of(HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8))));
        } catch (GeneralSecurityException e) {
            throw BuiltinException.error(algorithm + " unavailable");
        }
    }
}
