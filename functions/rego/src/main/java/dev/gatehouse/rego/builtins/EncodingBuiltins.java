package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** base64, base64url, hex and urlquery, with the error messages of Go's decoders. */
final class EncodingBuiltins {

    private static final String HEX = "0123456789ABCDEF";

    private EncodingBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("base64.encode", 1, (a, c) -> StringValue.of(Base64.getEncoder().encodeToString(bytes(a, 0))));
        r.register("base64.decode", 1, (a, c) -> StringValue.of(text(decode(Operands.string(a, 0), false, true))));
        r.register("base64.is_valid", 1, (a, c) -> {
            try {
                decode(Operands.string(a, 0), false, true);
                return BooleanValue.TRUE;
            } catch (BuiltinException e) {
                return BooleanValue.FALSE;
            }
        });
        r.register("base64url.encode", 1, (a, c) -> StringValue.of(Base64.getUrlEncoder().encodeToString(bytes(a, 0))));
        r.register("base64url.encode_no_pad", 1, (a, c) -> StringValue.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(a, 0))));
        r.register("base64url.decode", 1, (a, c) -> {
            String s = Operands.string(a, 0);
            if (!s.endsWith("=")) {
                switch (s.length() % 4) {
                    case 0 -> { }
                    case 2 -> s += "==";
                    case 3 -> s += "=";
                    default -> throw BuiltinException.error("illegal base64url string: " + s);
                }
            }
            return StringValue.of(text(decode(s, true, true)));
        });
        r.register("hex.encode", 1, (a, c) -> {
            StringBuilder sb = new StringBuilder();
            for (byte b : bytes(a, 0)) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return StringValue.of(sb.toString());
        });
        r.register("hex.decode", 1, (a, c) -> {
            byte[] in = bytes(a, 0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int i = 0;
            for (; i + 1 < in.length; i += 2) {
                int hi = hexValue(in[i]);
                int lo = hexValue(in[i + 1]);
                out.write(hi << 4 | lo);
            }
            if (in.length % 2 == 1) {
                hexValue(in[i]);
                throw BuiltinException.error("encoding/hex: odd length hex string");
            }
            return StringValue.of(text(out.toByteArray()));
        });
        r.register("urlquery.encode", 1, (a, c) -> StringValue.of(queryEscape(Operands.string(a, 0))));
        r.register("urlquery.decode", 1, (a, c) -> StringValue.of(queryUnescape(Operands.string(a, 0))));
        r.register("urlquery.encode_object", 1, (a, c) -> {
            ObjectValue o = Operands.object(a, 0);
            TreeMap<String, List<String>> values = new TreeMap<>();
            for (Map.Entry<Value, Value> e : o.entrySet()) {
                if (!(e.getKey() instanceof StringValue k)) {
                    throw BuiltinException.typeError("operand 1 must be object[string: string|array[string]|set[string]] but got object containing "
                            + e.getKey().typeName() + " key");
                }
                List<String> vs = new ArrayList<>();
                Value v = e.getValue();
                if (v instanceof StringValue s) {
                    vs.add(s.value());
                } else if (v instanceof ArrayValue || v instanceof SetValue) {
                    List<Value> elems = v instanceof ArrayValue arr ? arr.elements() : ((SetValue) v).sorted();
                    for (Value x : elems) {
                        if (!(x instanceof StringValue s)) {
                            throw BuiltinException.typeError("operand 1 must be " + v.typeName() + " of strings but got "
                                    + v.typeName() + " containing " + x.typeName());
                        }
                        vs.add(s.value());
                    }
                } else {
                    throw BuiltinException.typeError("operand 1 must be one of {string, array, set} but got " + v.typeName());
                }
                values.put(k.value(), vs);
            }
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, List<String>> e : values.entrySet()) {
                for (String v : e.getValue()) {
                    if (sb.length() > 0) {
                        sb.append('&');
                    }
                    sb.append(queryEscape(e.getKey())).append('=').append(queryEscape(v));
                }
            }
            return StringValue.of(sb.toString());
        });
        r.register("urlquery.decode_object", 1, (a, c) -> {
            String q = Operands.string(a, 0);
            Map<String, List<Value>> out = new java.util.LinkedHashMap<>();
            for (String part : q.split("&", -1)) {
                if (part.isEmpty()) {
                    continue;
                }
                if (part.contains(";")) {
                    throw BuiltinException.error("invalid semicolon separator in query");
                }
                int eq = part.indexOf('=');
                String k = queryUnescape(eq < 0 ? part : part.substring(0, eq));
                String v = eq < 0 ? "" : queryUnescape(part.substring(eq + 1));
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(StringValue.of(v));
            }
            ObjectValue.Builder b = ObjectValue.builder();
            out.forEach((k, v) -> b.put(k, ArrayValue.of(v)));
            return b.build();
        });
    }

    private static byte[] bytes(Value[] a, int i) throws BuiltinException {
        return Operands.string(a, i).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Go's padded base64 decoding: CR and LF are ignored, anything else invalid names its offset. */
    static byte[] decode(String s, boolean url, boolean padded) throws BuiltinException {
        String clean = s.replace("\r", "").replace("\n", "");
        String alphabet = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        int n = clean.length();
        int pad = 0;
        for (int i = 0; i < n; i++) {
            char ch = clean.charAt(i);
            if (ch == '=') {
                pad++;
                if (!padded || pad > 2 || (i + 1 < n && clean.charAt(i + 1) != '=')) {
                    throw BuiltinException.error("illegal base64 data at input byte " + i);
                }
            } else if (pad > 0 || alphabet.indexOf(ch) < 0) {
                throw BuiltinException.error("illegal base64 data at input byte " + i);
            }
        }
        if (padded && n % 4 != 0) {
            // Go names the start of an unfinished quantum, or the end when padding is short
            throw BuiltinException.error("illegal base64 data at input byte " + (pad == 0 ? n / 4 * 4 : n));
        }
        int rem = (n - pad) % 4;
        if (rem == 1) {
            throw BuiltinException.error("illegal base64 data at input byte " + (n - pad - 1));
        }
        try {
            return (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(clean);
        } catch (IllegalArgumentException e) {
            throw BuiltinException.error("illegal base64 data at input byte 0");
        }
    }

    private static int hexValue(byte b) throws BuiltinException {
        int v = Character.digit(b & 0xff, 16);
        if (v < 0 || b < 0) {
            int cp = b & 0xff;
            throw BuiltinException.error(String.format("encoding/hex: invalid byte: U+%04X %s", cp, GoFormat.quote(String.valueOf((char) cp), false).replace('"', '\'')));
        }
        return v;
    }

    /** Go's url.QueryEscape. */
    static String queryEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int ch = b & 0xff;
            if (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
                sb.append((char) ch);
            } else if (ch == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append(HEX.charAt(ch >> 4)).append(HEX.charAt(ch & 0xf));
            }
        }
        return sb.toString();
    }

    /** Go's url.QueryUnescape. */
    static String queryUnescape(String s) throws BuiltinException {
        return unescape(s, true);
    }

    /** Go's url.unescape: %XX decoded, and '+' read as a space in a query ({@code plusIsSpace}) but not in a path. */
    static String unescape(String s, boolean plusIsSpace) throws BuiltinException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                if (i + 2 >= in.length || Character.digit(in[i + 1], 16) < 0 || Character.digit(in[i + 2], 16) < 0) {
                    String bad = s.substring(Math.min(s.length(), charIndex(s, i)), Math.min(s.length(), charIndex(s, i) + 3));
                    throw BuiltinException.error("invalid URL escape " + GoFormat.quote(bad, false));
                }
                out.write(Character.digit(in[i + 1], 16) << 4 | Character.digit(in[i + 2], 16));
                i += 2;
            } else if (in[i] == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                out.write(in[i]);
            }
        }
        return text(out.toByteArray());
    }

    private static int charIndex(String s, int byteIndex) {
        return new String(s.getBytes(StandardCharsets.UTF_8), 0, byteIndex, StandardCharsets.UTF_8).length();
    }
}
