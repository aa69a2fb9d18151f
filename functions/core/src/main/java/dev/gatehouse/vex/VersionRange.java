package dev.gatehouse.vex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A version range in the {@code vers} notation used by CycloneDX ({@code vers:semver/>=2.2.0|<=2.4.0}),
 * evaluated with the algorithm of the vers specification. Versions are compared segment by segment,
 * numerically where both segments are numbers, which orders semver, Maven, Debian and most other
 * schemes the way their users expect for the ranges VEX documents state.
 */
public record VersionRange(String text, List<Constraint> constraints, boolean all) {

    private static final int MAX_CONSTRAINTS = 256;

    public record Constraint(String comparator, String version) {}

    public VersionRange {
        constraints = List.copyOf(constraints);
    }

    /** Parses a vers range; throws {@link IllegalArgumentException} saying what is wrong. */
    public static VersionRange parse(String text) {
        if (text == null || !text.startsWith("vers:")) {
            throw new IllegalArgumentException("version range '" + text + "' does not start with vers:");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("version range '" + text + "' has no scheme/constraints");
        }
        String body = text.substring(slash + 1).strip();
        if (body.equals("*")) {
            return new VersionRange(text, List.of(), true);
        }
        String[] parts = body.split("\\|");
        if (parts.length > MAX_CONSTRAINTS) {
            throw new IllegalArgumentException("version range has more than " + MAX_CONSTRAINTS + " constraints");
        }
        List<Constraint> constraints = new ArrayList<>();
        for (String part : parts) {
            String p = part.strip();
            String comparator = "=";
            for (String c : List.of(">=", "<=", "!=", "<", ">", "=")) {
                if (p.startsWith(c)) {
                    comparator = c;
                    p = p.substring(c.length()).strip();
                    break;
                }
            }
            if (p.isEmpty()) {
                throw new IllegalArgumentException("version range '" + text + "' has an empty constraint");
            }
            constraints.add(new Constraint(comparator, p));
        }
        constraints.sort(Comparator.comparing(Constraint::version, VersionRange::compareVersions));
        return new VersionRange(text, constraints, false);
    }

    /** Whether the version lies in the range. */
    public boolean contains(String version) {
        if (all) {
            return true;
        }
        if (version == null) {
            return false;
        }
        for (Constraint c : constraints) {
            int cmp = compareVersions(version, c.version());
            if (cmp == 0) {
                if (c.comparator().equals("!=")) {
                    return false;
                }
                if (c.comparator().contains("=")) {
                    return true;
                }
            }
        }
        List<Constraint> ranges = constraints.stream()
                .filter(c -> !c.comparator().equals("=") && !c.comparator().equals("!="))
                .toList();
        if (ranges.isEmpty()) {
            return false;
        }
        if (ranges.size() == 1) {
            Constraint c = ranges.get(0);
            int cmp = compareVersions(version, c.version());
            return c.comparator().startsWith("<") ? cmp < 0 : cmp > 0;
        }
        for (int i = 0; i + 1 < ranges.size(); i++) {
            Constraint current = ranges.get(i);
            Constraint next = ranges.get(i + 1);
            if (i == 0 && current.comparator().startsWith("<") && compareVersions(version, current.version()) < 0) {
                return true;
            }
            if (i + 2 == ranges.size() && next.comparator().startsWith(">") && compareVersions(version, next.version()) > 0) {
                return true;
            }
            if (current.comparator().startsWith(">") && next.comparator().startsWith("<")
                    && compareVersions(version, current.version()) > 0 && compareVersions(version, next.version()) < 0) {
                return true;
            }
        }
        return false;
    }

    /** Segment-wise comparison: digits numerically, everything else lexically; a leading v is ignored. */
    static int compareVersions(String a, String b) {
        List<String> sa = segments(a);
        List<String> sb = segments(b);
        for (int i = 0; i < Math.max(sa.size(), sb.size()); i++) {
            if (i >= sa.size()) {
                return -1;
            }
            if (i >= sb.size()) {
                return 1;
            }
            String x = sa.get(i);
            String y = sb.get(i);
            boolean nx = Character.isDigit(x.charAt(0));
            boolean ny = Character.isDigit(y.charAt(0));
            int cmp;
            if (nx && ny) {
                String tx = x.replaceFirst("^0+(?=.)", "");
                String ty = y.replaceFirst("^0+(?=.)", "");
                cmp = tx.length() != ty.length() ? Integer.compare(tx.length(), ty.length()) : tx.compareTo(ty);
            } else if (nx != ny) {
                cmp = nx ? 1 : -1;
            } else {
                cmp = x.compareTo(y);
            }
            if (cmp != 0) {
                return cmp;
            }
        }
        return 0;
    }

    private static List<String> segments(String version) {
        String v = version.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("v") && v.length() > 1 && Character.isDigit(v.charAt(1))) {
            v = v.substring(1);
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < v.length()) {
            char c = v.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                i++;
                continue;
            }
            int j = i;
            boolean digit = Character.isDigit(c);
            while (j < v.length() && Character.isLetterOrDigit(v.charAt(j)) && Character.isDigit(v.charAt(j)) == digit) {
                j++;
            }
            out.add(v.substring(i, j));
            i = j;
        }
        return out;
    }
}
