package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** uuid.rfc4122 (random version 4, one per seed string and query) and uuid.parse. */
final class UuidBuiltins {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** 100-nanosecond intervals between 1582-10-15 and the Unix epoch. */
    private static final long GREGORIAN_OFFSET = 122_192_928_000_000_000L;

    private UuidBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.registerNondeterministic("uuid.rfc4122", 1, (a, c) -> {
            Operands.string(a, 0);
            byte[] b = new byte[16];
            RANDOM.nextBytes(b);
            b[6] = (byte) ((b[6] & 0x0f) | 0x40);
            b[8] = (byte) ((b[8] & 0x3f) | 0x80);
            String hex = HexFormat.of().formatHex(b);
            return StringValue.of(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20));
        });
        r.register("uuid.parse", 1, (a, c) -> {
            byte[] b = parse(Operands.string(a, 0));
            return b == null ? null : describe(b);
        });
    }

    /** The 16 bytes of a UUID in any form Go's uuid.Parse accepts, or null. */
    private static byte[] parse(String s) {
        String hex;
        if (s.length() == 36) {
            hex = dashed(s);
        } else if (s.length() == 38 && s.startsWith("{") && s.endsWith("}")) {
            hex = dashed(s.substring(1, 37));
        } else if (s.length() == 45 && s.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            hex = dashed(s.substring(9));
        } else if (s.length() == 32) {
            hex = s;
        } else {
            return null;
        }
        if (hex == null || !hex.matches("[0-9a-fA-F]{32}")) {
            return null;
        }
        return HexFormat.of().parseHex(hex);
    }

    private static String dashed(String s) {
        if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
            return null;
        }
        return s.replace("-", "");
    }

    private static ObjectValue describe(byte[] b) {
        int version = (b[6] & 0xff) >> 4;
        int v8 = b[8] & 0xff;
        String variant;
        if ((v8 & 0xc0) == 0x80) {
            variant = "RFC4122";
        } else if ((v8 & 0xe0) == 0xc0) {
            variant = "Microsoft";
        } else if ((v8 & 0xe0) == 0xe0) {
            variant = "Future";
        } else {
            variant = "Reserved";
        }
        ObjectValue.Builder o = ObjectValue.builder();
        o.put("version", NumberValue.of(version));
        o.put("variant", StringValue.of(variant));
        if (version == 1 || version == 2) {
            long timeLow = u32(b, 0);
            long t = timeLow | u16(b, 4) << 32 | (u16(b, 6) & 0xfff) << 48;
            long since = t - GREGORIAN_OFFSET;
            long nanos = Math.floorDiv(since, 10_000_000L) * 1_000_000_000L + Math.floorMod(since, 10_000_000L) * 100;
            o.put("time", NumberValue.of(nanos));
            o.put("clocksequence", NumberValue.of(u16(b, 8) & 0x3fff));
            List<String> node = new ArrayList<>();
            for (int i = 10; i < 16; i++) {
                node.add(String.format("%02x", b[i] & 0xff));
            }
            o.put("nodeid", StringValue.of(String.join("-", node)));
            o.put("macvariables", StringValue.of(((b[10] & 2) != 0 ? "local" : "global") + ":" + ((b[10] & 1) != 0 ? "multicast" : "unicast")));
            if (version == 2) {
                int domain = b[9] & 0xff;
                o.put("domain", StringValue.of(switch (domain) {
                    case 0 -> "Person";
                    case 1 -> "Group";
                    case 2 -> "Org";
                    default -> "Domain" + domain;
                }));
                o.put("id", NumberValue.of(u32(b, 0)));
            }
        }
        return o.build();
    }

    private static long u16(byte[] b, int i) {
        return (b[i] & 0xffL) << 8 | (b[i + 1] & 0xffL);
    }

    private static long u32(byte[] b, int i) {
        return u16(b, i) << 16 | u16(b, i + 2);
    }
}
