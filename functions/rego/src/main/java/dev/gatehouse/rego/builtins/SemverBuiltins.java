package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.StringValue;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** semver.is_valid and semver.compare (Semantic Versioning 2.0.0, no "v" prefix). */
final class SemverBuiltins {

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    private SemverBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("semver.is_valid", 1, (a, c) ->
                BooleanValue.of(a[0] instanceof StringValue s && s.value().length() < 1024 && SEMVER.matcher(s.value()).matches()));
        r.register("semver.compare", 2, (a, c) -> {
            Matcher x = parse(a, 0);
            Matcher y = parse(a, 1);
            return NumberValue.of(compare(x, y));
        });
    }

    private static Matcher parse(dev.gatehouse.rego.value.Value[] a, int i) throws BuiltinException {
        String s = Operands.string(a, i);
        Matcher m = SEMVER.matcher(s);
        if (s.length() >= 1024 || !m.matches()) {
            throw BuiltinException.error("operand " + (i + 1) + ": string " + GoFormat.quote(s, false) + " is not a valid SemVer");
        }
        return m;
    }

    private static int compare(Matcher x, Matcher y) {
        for (int g = 1; g <= 3; g++) {
            int c = new BigInteger(x.group(g)).compareTo(new BigInteger(y.group(g)));
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        String px = x.group(4);
        String py = y.group(4);
        if (px == null || py == null) {
            return px == null ? (py == null ? 0 : 1) : -1;
        }
        String[] ix = px.split("\\.");
        String[] iy = py.split("\\.");
        for (int i = 0; i < Math.min(ix.length, iy.length); i++) {
            boolean nx = ix[i].chars().allMatch(Character::isDigit);
            boolean ny = iy[i].chars().allMatch(Character::isDigit);
            int c;
            if (nx && ny) {
                c = new BigInteger(ix[i]).compareTo(new BigInteger(iy[i]));
            } else if (nx || ny) {
                c = nx ? -1 : 1;
            } else {
                c = ix[i].compareTo(iy[i]);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.compare(ix.length, iy.length);
    }
}
