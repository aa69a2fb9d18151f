package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** CIDR builtins over IPv4 and IPv6 prefixes, parsed without any name resolution. */
final class NetBuiltins {

    private static final int MAX_EXPAND = 1 << 16;

    private NetBuiltins() {
    }

    /** A prefix: the masked network address as a number, its bit count and address width (32 or 128). */
    record Prefix(BigInteger network, int bits, int width) {
        BigInteger first() {
            return network;
        }

        BigInteger last() {
            return network.add(BigInteger.ONE.shiftLeft(width - bits)).subtract(BigInteger.ONE);
        }

        boolean contains(Prefix p) {
            return width == p.width && bits <= p.bits && first().compareTo(p.first()) <= 0 && last().compareTo(p.last()) >= 0;
        }

        String text() {
            return address(network, width) + "/" + bits;
        }
    }

    static void register(BuiltinRegistry r) {
        r.register("net.cidr_contains", 2, (a, c) -> {
            Prefix outer = cidr(Operands.string(a, 0), 1);
            Prefix inner = cidrOrIp(Operands.string(a, 1), 2);
            return BooleanValue.of(outer.contains(inner));
        });
        r.register("net.cidr_intersects", 2, (a, c) -> {
            Prefix x = cidr(Operands.string(a, 0), 1);
            Prefix y = cidr(Operands.string(a, 1), 2);
            return BooleanValue.of(x.contains(y) || y.contains(x));
        });
        r.register("net.cidr_is_valid", 1, (a, c) -> {
            if (!(a[0] instanceof StringValue s)) {
                return BooleanValue.FALSE;
            }
            try {
                cidr(s.value(), 1);
                return BooleanValue.TRUE;
            } catch (BuiltinException e) {
                return BooleanValue.FALSE;
            }
        });
        r.register("net.cidr_expand", 1, (a, c) -> {
            Prefix p = cidr(Operands.string(a, 0), 1);
            if (p.width() - p.bits() > 16) {
                throw BuiltinException.error("CIDR too large to expand (at most " + MAX_EXPAND + " addresses)");
            }
            SetValue.Builder out = SetValue.builder();
            for (BigInteger i = p.first(); i.compareTo(p.last()) <= 0; i = i.add(BigInteger.ONE)) {
                c.charge(1);
                out.add(StringValue.of(address(i, p.width())));
            }
            return out.build();
        });
        r.register("net.cidr_merge", 1, (a, c) -> {
            List<Value> elems = Operands.arrayOrSet(a, 0);
            List<Prefix> prefixes = new ArrayList<>();
            for (Value v : elems) {
                if (!(v instanceof StringValue s)) {
                    throw BuiltinException.typeError("operand 1 must be " + a[0].typeName() + " of strings but got "
                            + a[0].typeName() + " containing " + v.typeName());
                }
                // OPA merges a bare IPv4 address as a /32 but wants a prefix length on IPv6 ones
                if (s.value().indexOf('/') < 0 && s.value().indexOf(':') >= 0 && parseIp(s.value()) != null) {
                    throw BuiltinException.error("IPv6 invalid: needs prefix length");
                }
                prefixes.add(cidrOrIp(s.value(), 1));
            }
            c.charge(prefixes.size());
            SetValue.Builder out = SetValue.builder();
            for (int width : new int[] {32, 128}) {
                for (Prefix p : merge(prefixes, width)) {
                    out.add(StringValue.of(p.text()));
                }
            }
            return out.build();
        });
        r.register("net.cidr_contains_matches", 2, (a, c) -> {
            List<Value[]> outer = keyed(a[0], 1);
            List<Value[]> inner = keyed(a[1], 2);
            SetValue.Builder out = SetValue.builder();
            for (Value[] o : outer) {
                Prefix op = cidr(((StringValue) o[1]).value(), 1);
                for (Value[] i : inner) {
                    c.charge(1);
                    if (op.contains(cidrOrIp(((StringValue) i[1]).value(), 2))) {
                        out.add(ArrayValue.of(o[0], i[0]));
                    }
                }
            }
            return out.build();
        });
    }

    /** [key, cidr string] pairs of a string, an array/set of strings or [cidr, ...] tuples, or an object. */
    private static List<Value[]> keyed(Value v, int position) throws BuiltinException {
        List<Value[]> out = new ArrayList<>();
        if (v instanceof StringValue s) {
            out.add(new Value[] {s, s});
        } else if (v instanceof ArrayValue arr) {
            for (int i = 0; i < arr.size(); i++) {
                out.add(new Value[] {NumberValue.of(i), cidrOf(arr.get(i), position)});
            }
        } else if (v instanceof SetValue set) {
            for (Value e : set.sorted()) {
                out.add(new Value[] {e, cidrOf(e, position)});
            }
        } else if (v instanceof ObjectValue o) {
            for (Map.Entry<Value, Value> e : o.entrySet()) {
                out.add(new Value[] {e.getKey(), cidrOf(e.getValue(), position)});
            }
        } else {
            throw BuiltinException.operandType(position, v, "string", "array", "set", "object");
        }
        return out;
    }

    private static Value cidrOf(Value v, int position) throws BuiltinException {
        if (v instanceof StringValue) {
            return v;
        }
        if (v instanceof ArrayValue arr && arr.size() > 0 && arr.get(0) instanceof StringValue) {
            return arr.get(0);
        }
        throw BuiltinException.typeError("operand " + position + ": element must be string or non-empty array");
    }

    private static List<Prefix> merge(List<Prefix> all, int width) {
        List<BigInteger[]> ranges = new ArrayList<>();
        for (Prefix p : all) {
            if (p.width() == width) {
                ranges.add(new BigInteger[] {p.first(), p.last()});
            }
        }
        ranges.sort((x, y) -> x[0].compareTo(y[0]));
        List<BigInteger[]> merged = new ArrayList<>();
        for (BigInteger[] rg : ranges) {
            if (!merged.isEmpty() && merged.get(merged.size() - 1)[1].add(BigInteger.ONE).compareTo(rg[0]) >= 0) {
                BigInteger[] last = merged.get(merged.size() - 1);
                last[1] = last[1].max(rg[1]);
            } else {
                merged.add(new BigInteger[] {rg[0], rg[1]});
            }
        }
        List<Prefix> out = new ArrayList<>();
        for (BigInteger[] rg : merged) {
            BigInteger start = rg[0];
            while (start.compareTo(rg[1]) <= 0) {
                int size = start.signum() == 0 ? width : Math.min(width, start.getLowestSetBit());
                while (size > 0 && start.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(rg[1]) > 0) {
                    size--;
                }
                out.add(new Prefix(start, width - size, width));
                start = start.add(BigInteger.ONE.shiftLeft(size));
            }
        }
        return out;
    }

    static Prefix cidr(String s, int position) throws BuiltinException {
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw BuiltinException.error("invalid CIDR address: " + s);
        }
        byte[] addr = parseIp(s.substring(0, slash));
        String bitsText = s.substring(slash + 1);
        if (addr == null || !bitsText.matches("0|[1-9][0-9]{0,2}")) {
            throw BuiltinException.error("invalid CIDR address: " + s);
        }
        int width = addr.length * 8;
        int bits = Integer.parseInt(bitsText);
        if (bits > width) {
            throw BuiltinException.error("invalid CIDR address: " + s);
        }
        BigInteger ip = new BigInteger(1, addr);
        BigInteger mask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE).shiftRight(bits).not();
        return new Prefix(ip.and(mask).and(BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE)), bits, width);
    }

    private static Prefix cidrOrIp(String s, int position) throws BuiltinException {
        if (s.indexOf('/') >= 0) {
            return cidr(s, position);
        }
        byte[] addr = parseIp(s);
        if (addr == null) {
            throw BuiltinException.error("invalid CIDR address: " + s);
        }
        return new Prefix(new BigInteger(1, addr), addr.length * 8, addr.length * 8);
    }

    /** IPv4 dotted quad or IPv6 text (an IPv4-mapped address stays 16 bytes), or null. */
    static byte[] parseIp(String s) {
        if (s.indexOf(':') < 0) {
            return parseIpv4(s);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            return null;
        }
        String[] halves = s.split("::", -1);
        if (halves.length > 2) {
            return null;
        }
        List<Integer> head = new ArrayList<>();
        List<Integer> tail = new ArrayList<>();
        if (!groups(halves[0], head, halves.length == 1) || (halves.length == 2 && !groups(halves[1], tail, true))) {
            return null;
        }
        int total = head.size() + tail.size();
        if (halves.length == 1 ? total != 8 : total > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            out[2 * i] = (byte) (head.get(i) >> 8);
            out[2 * i + 1] = (byte) (int) head.get(i);
        }
        for (int i = 0; i < tail.size(); i++) {
            int at = 8 - tail.size() + i;
            out[2 * at] = (byte) (tail.get(i) >> 8);
            out[2 * at + 1] = (byte) (int) tail.get(i);
        }
        return out;
    }

    private static boolean groups(String part, List<Integer> out, boolean allowV4) {
        if (part.isEmpty()) {
            return true;
        }
        String[] gs = part.split(":", -1);
        for (int i = 0; i < gs.length; i++) {
            String g = gs[i];
            if (i == gs.length - 1 && allowV4 && g.indexOf('.') >= 0) {
                byte[] v4 = parseIpv4(g);
                if (v4 == null) {
                    return false;
                }
                out.add((v4[0] & 0xff) << 8 | (v4[1] & 0xff));
                out.add((v4[2] & 0xff) << 8 | (v4[3] & 0xff));
                continue;
            }
            if (!g.matches("[0-9a-fA-F]{1,4}")) {
                return false;
            }
            out.add(Integer.parseInt(g, 16));
        }
        return true;
    }

    private static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("0|[1-9][0-9]{0,2}")) {
                return null;
            }
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** Go's net.IP.String: dotted quad, or RFC 5952 IPv6 with the longest zero run compressed. */
    static String address(BigInteger value, int width) {
        byte[] raw = value.toByteArray();
        byte[] b = new byte[width / 8];
        int n = Math.min(raw.length, b.length);
        System.arraycopy(raw, raw.length - n, b, b.length - n, n);
        if (width == 32) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        boolean mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
        if (mapped) {
            return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
