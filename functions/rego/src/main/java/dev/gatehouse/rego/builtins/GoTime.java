package dev.gatehouse.rego.builtins;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"): formatting and parsing. */
final class GoTime {

    static final String RFC3339 = "2006-01-02T15:04:05Z07:00";
    static final String RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

    /** Layout names OPA accepts in place of a layout. */
    static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("ANSIC", "Mon Jan _2 15:04:05 2006"),
            Map.entry("UnixDate", "Mon Jan _2 15:04:05 MST 2006"),
            Map.entry("RubyDate", "Mon Jan 02 15:04:05 -0700 2006"),
            Map.entry("RFC822", "02 Jan 06 15:04 MST"),
            Map.entry("RFC822Z", "02 Jan 06 15:04 -0700"),
            Map.entry("RFC850", "Monday, 02-Jan-06 15:04:05 MST"),
            Map.entry("RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"),
            Map.entry("RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"),
            Map.entry("RFC3339", RFC3339),
            Map.entry("RFC3339Nano", RFC3339_NANO),
            Map.entry("Kitchen", "3:04PM"),
            Map.entry("Stamp", "Jan _2 15:04:05"),
            Map.entry("StampMilli", "Jan _2 15:04:05.000"),
            Map.entry("StampMicro", "Jan _2 15:04:05.000000"),
            Map.entry("StampNano", "Jan _2 15:04:05.000000000"),
            Map.entry("DateTime", "2006-01-02 15:04:05"),
            Map.entry("DateOnly", "2006-01-02"),
            Map.entry("TimeOnly", "15:04:05"));

    /** Layout tokens, longest first where one is a prefix of another. */
    private static final String[] TOKENS = {
        "January", "Jan", "Monday", "Mon", "MST",
        "2006", "002", "01", "02", "06", "03", "04", "05", "_2", "__2", "15", "1", "2", "3", "4", "5",
        "PM", "pm",
        "Z07:00:00", "Z07:00", "Z0700", "Z07", "-07:00:00", "-07:00", "-0700", "-07",
    };

    private GoTime() {
    }

    static final class ParseException extends Exception {
        ParseException(String message) {
            super(message, null, false, false);
        }
    }

    /** Splits a layout into literal text and tokens (tokens are prefixed with U+0000). */
    private static List<String> chunks(String layout) {
        List<String> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < layout.length()) {
            String tok = tokenAt(layout, i);
            if (tok == null) {
                lit.append(layout.charAt(i++));
                continue;
            }
            if (lit.length() > 0) {
                out.add(lit.toString());
                lit.setLength(0);
            }
            out.add("\u0000" + tok);
            i += tok.length();
        }
        if (lit.length() > 0) {
            out.add(lit.toString());
        }
        return out;
    }

    private static String tokenAt(String layout, int i) {
        char ch = layout.charAt(i);
        if ((ch == '.' || ch == ',') && i + 1 < layout.length() && (layout.charAt(i + 1) == '0' || layout.charAt(i + 1) == '9')) {
            char d = layout.charAt(i + 1);
            int j = i + 1;
            while (j < layout.length() && layout.charAt(j) == d) {
                j++;
            }
            if (j == layout.length() || !Character.isDigit(layout.charAt(j))) {
                return layout.substring(i, j);
            }
        }
        if (layout.startsWith("Jan", i) && !layout.startsWith("January", i)) {
            return "Jan";
        }
        if (layout.startsWith("Mon", i) && !layout.startsWith("Monday", i)) {
            return "Mon";
        }
        for (String t : TOKENS) {
            if (layout.startsWith(t, i)) {
                if (t.equals("2") && layout.startsWith("2006", i)) {
                    return "2006";
                }
                if (t.equals("06") || t.equals("01") || t.equals("02") || t.equals("03") || t.equals("04") || t.equals("05")) {
                    return t;
                }
                return t;
            }
        }
        return null;
    }

    static String format(ZonedDateTime t, String layout) {
        StringBuilder sb = new StringBuilder();
        for (String c : chunks(layout)) {
            if (c.charAt(0) != '\u0000') {
                sb.append(c);
                continue;
            }
            String tok = c.substring(1);
            int offset = t.getOffset().getTotalSeconds();
            switch (tok) {
                case "2006" -> sb.append(String.format("%04d", t.getYear()));
                case "06" -> sb.append(String.format("%02d", Math.floorMod(t.getYear(), 100)));
                case "January" -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case "Jan" -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case "01" -> sb.append(String.format("%02d", t.getMonthValue()));
                case "1" -> sb.append(t.getMonthValue());
                case "Monday" -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case "Mon" -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case "02" -> sb.append(String.format("%02d", t.getDayOfMonth()));
                case "_2" -> sb.append(String.format("%2d", t.getDayOfMonth()));
                case "2" -> sb.append(t.getDayOfMonth());
                case "002" -> sb.append(String.format("%03d", t.getDayOfYear()));
                case "__2" -> sb.append(String.format("%3d", t.getDayOfYear()));
                case "15" -> sb.append(String.format("%02d", t.getHour()));
                case "03" -> sb.append(String.format("%02d", hour12(t)));
                case "3" -> sb.append(hour12(t));
                case "04" -> sb.append(String.format("%02d", t.getMinute()));
                case "4" -> sb.append(t.getMinute());
                case "05" -> sb.append(String.format("%02d", t.getSecond()));
                case "5" -> sb.append(t.getSecond());
                case "PM" -> sb.append(t.getHour() >= 12 ? "PM" : "AM");
                case "pm" -> sb.append(t.getHour() >= 12 ? "pm" : "am");
                case "MST" -> sb.append(abbreviation(t));
                default -> {
                    if (tok.charAt(0) == '.' || tok.charAt(0) == ',') {
                        sb.append(fraction(t.getNano(), tok));
                    } else if (tok.startsWith("Z") && offset == 0) {
                        sb.append('Z');
                    } else {
                        sb.append(zone(offset, tok));
                    }
                }
            }
        }
        return sb.toString();
    }

    private static int hour12(ZonedDateTime t) {
        int h = t.getHour() % 12;
        return h == 0 ? 12 : h;
    }

    private static String abbreviation(ZonedDateTime t) {
        if (t.getZone() instanceof ZoneOffset off) {
            if (off.getTotalSeconds() == 0) {
                return "UTC";
            }
            return zone(off.getTotalSeconds(), "-07");
        }
        java.util.TimeZone tz = java.util.TimeZone.getTimeZone(t.getZone());
        String abbr = tz.getDisplayName(tz.inDaylightTime(java.util.Date.from(t.toInstant())), java.util.TimeZone.SHORT, Locale.ENGLISH);
        if (abbr.startsWith("GMT") && abbr.length() > 3) {
            int offset = t.getOffset().getTotalSeconds();
            return zone(offset, offset % 3600 == 0 ? "-07" : "-0700");
        }
        return abbr;
    }

    private static String fraction(int nanos, String tok) {
        String digits = String.format("%09d", nanos);
        int n = tok.length() - 1;
        if (tok.charAt(1) == '0') {
            return tok.charAt(0) + digits.substring(0, n);
        }
        String cut = digits.substring(0, n).replaceFirst("0+$", "");
        return cut.isEmpty() ? "" : tok.charAt(0) + cut;
    }

    private static String zone(int offset, String tok) {
        String sign = offset < 0 ? "-" : "+";
        int abs = Math.abs(offset);
        String hh = String.format("%02d", abs / 3600);
        String mm = String.format("%02d", abs / 60 % 60);
        String ss = String.format("%02d", abs % 60);
        String body = tok.startsWith("Z") ? tok.substring(1) : tok.substring(1);
        return switch ("-" + body) {
            case "-07:00:00" -> sign + hh + ":" + mm + ":" + ss;
            case "-07:00" -> sign + hh + ":" + mm;
            case "-0700" -> sign + hh + mm;
            default -> sign + hh;
        };
    }

    /** Go's time.Parse; zone-less values are in {@code defaultZone}. Returns nanoseconds since the epoch. */
    static java.math.BigInteger parse(String layout, String value, ZoneId defaultZone) throws ParseException {
        int year = 1;
        int month = 1;
        int day = 1;
        int yday = -1;
        int hour = 0;
        int minute = 0;
        int second = 0;
        int nanos = 0;
        boolean pm = false;
        boolean pmSet = false;
        ZoneId zone = null;
        String v = value;
        for (String c : chunks(layout)) {
            if (c.charAt(0) != '\u0000') {
                if (!v.startsWith(c)) {
                    throw bad(value, layout, v, c);
                }
                v = v.substring(c.length());
                continue;
            }
            String tok = c.substring(1);
            String before = v;
            try {
                switch (tok) {
                    case "2006" -> {
                        if (v.length() < 4 || !v.substring(0, 4).chars().allMatch(Character::isDigit)) {
                            throw bad(value, layout, v, tok);
                        }
                        year = Integer.parseInt(v.substring(0, 4));
                        v = v.substring(4);
                    }
                    case "06" -> {
                        int[] r = number(v, 2, true);
                        year = r[0] >= 69 ? 1900 + r[0] : 2000 + r[0];
                        v = v.substring(r[1]);
                    }
                    case "January", "Jan" -> {
                        int found = -1;
                        for (int m = 1; m <= 12 && found < 0; m++) {
                            String name = java.time.Month.of(m).getDisplayName(tok.equals("Jan") ? TextStyle.SHORT : TextStyle.FULL, Locale.ENGLISH);
                            if (v.regionMatches(true, 0, name, 0, name.length())) {
                                found = m;
                                v = v.substring(name.length());
                            }
                        }
                        if (found < 0) {
                            throw bad(value, layout, v, tok);
                        }
                        month = found;
                    }
                    case "Monday", "Mon" -> {
                        boolean found = false;
                        for (DayOfWeek d : DayOfWeek.values()) {
                            String name = d.getDisplayName(tok.equals("Mon") ? TextStyle.SHORT : TextStyle.FULL, Locale.ENGLISH);
                            if (!found && v.regionMatches(true, 0, name, 0, name.length())) {
                                found = true;
                                v = v.substring(name.length());
                            }
                        }
                        if (!found) {
                            throw bad(value, layout, v, tok);
                        }
                    }
                    case "01", "1" -> {
                        int[] r = number(v, 2, tok.equals("01"));
                        month = r[0];
                        v = v.substring(r[1]);
                        if (month < 1 || month > 12) {
                            throw new ParseException("parsing time " + q(value) + ": month out of range");
                        }
                    }
                    case "02", "2", "_2" -> {
                        if (tok.equals("_2") && v.startsWith(" ")) {
                            v = v.substring(1);
                        }
                        int[] r = number(v, 2, tok.equals("02"));
                        day = r[0];
                        v = v.substring(r[1]);
                    }
                    case "002", "__2" -> {
                        int[] r = number(v.stripLeading(), 3, tok.equals("002"));
                        yday = r[0];
                        v = v.stripLeading().substring(r[1]);
                    }
                    case "15" -> {
                        int[] r = number(v, 2, false);
                        hour = r[0];
                        v = v.substring(r[1]);
                        if (hour > 23) {
                            throw new ParseException("parsing time " + q(value) + ": hour out of range");
                        }
                    }
                    case "03", "3" -> {
                        int[] r = number(v, 2, tok.equals("03"));
                        hour = r[0];
                        v = v.substring(r[1]);
                        if (hour > 12) {
                            throw new ParseException("parsing time " + q(value) + ": hour out of range");
                        }
                    }
                    case "04", "4" -> {
                        int[] r = number(v, 2, tok.equals("04"));
                        minute = r[0];
                        v = v.substring(r[1]);
                        if (minute > 59) {
                            throw new ParseException("parsing time " + q(value) + ": minute out of range");
                        }
                    }
                    case "05", "5" -> {
                        int[] r = number(v, 2, tok.equals("05"));
                        second = r[0];
                        v = v.substring(r[1]);
                        if (second > 59) {
                            throw new ParseException("parsing time " + q(value) + ": second out of range");
                        }
                        if (v.length() > 1 && (v.charAt(0) == '.' || v.charAt(0) == ',') && Character.isDigit(v.charAt(1))) {
                            int j = 1;
                            while (j < v.length() && Character.isDigit(v.charAt(j))) {
                                j++;
                            }
                            nanos = fractionNanos(v.substring(1, j));
                            v = v.substring(j);
                        }
                    }
                    case "PM", "pm" -> {
                        if (v.length() < 2) {
                            throw bad(value, layout, v, tok);
                        }
                        String p = v.substring(0, 2).toUpperCase(Locale.ROOT);
                        if (!p.equals("AM") && !p.equals("PM")) {
                            throw bad(value, layout, v, tok);
                        }
                        pm = p.equals("PM");
                        pmSet = true;
                        v = v.substring(2);
                    }
                    case "MST" -> {
                        int j = 0;
                        while (j < v.length() && Character.isUpperCase(v.charAt(j))) {
                            j++;
                        }
                        if (j < 3) {
                            throw bad(value, layout, v, tok);
                        }
                        String abbr = v.substring(0, j);
                        zone = abbr.equals("UTC") || abbr.equals("GMT") ? ZoneOffset.UTC : ZoneOffset.UTC;
                        v = v.substring(j);
                    }
                    default -> {
                        if (tok.charAt(0) == '.' || tok.charAt(0) == ',') {
                            if (v.isEmpty() || v.charAt(0) != tok.charAt(0)) {
                                if (tok.charAt(1) == '9') {
                                    break;
                                }
                                throw bad(value, layout, v, tok);
                            }
                            int j = 1;
                            while (j < v.length() && Character.isDigit(v.charAt(j))) {
                                j++;
                            }
                            if (tok.charAt(1) == '0' && j != tok.length()) {
                                throw bad(value, layout, v, tok);
                            }
                            nanos = fractionNanos(v.substring(1, j));
                            v = v.substring(j);
                        } else {
                            if (tok.startsWith("Z") && v.startsWith("Z")) {
                                zone = ZoneOffset.UTC;
                                v = v.substring(1);
                                break;
                            }
                            String[] parsed = zoneOffset(v, tok.startsWith("Z") ? "-" + tok.substring(1) : tok);
                            if (parsed == null) {
                                throw bad(value, layout, v, tok);
                            }
                            zone = ZoneOffset.of(parsed[0]);
                            v = parsed[1];
                        }
                    }
                }
            } catch (NumberFormatException | StringIndexOutOfBoundsException | DateTimeException e) {
                throw bad(value, layout, before, tok);
            }
        }
        if (!v.isEmpty()) {
            throw new ParseException("parsing time " + q(value) + ": extra text: " + q(v));
        }
        if (pmSet) {
            if (pm && hour < 12) {
                hour += 12;
            } else if (!pm && hour == 12) {
                hour = 0;
            }
        }
        LocalDate date;
        try {
            if (yday >= 0) {
                date = LocalDate.ofYearDay(year, yday);
            } else {
                date = LocalDate.of(year, month, day);
            }
        } catch (DateTimeException e) {
            throw new ParseException("parsing time " + q(value) + ": day out of range");
        }
        LocalDateTime local = date.atTime(hour, minute, second, nanos);
        Instant instant = local.atZone(zone != null ? zone : defaultZone).toInstant();
        return java.math.BigInteger.valueOf(instant.getEpochSecond()).multiply(java.math.BigInteger.valueOf(1_000_000_000L))
                .add(java.math.BigInteger.valueOf(instant.getNano()));
    }

    private static int fractionNanos(String digits) {
        String d = (digits + "000000000").substring(0, 9);
        return Integer.parseInt(d);
    }

    /** {offset text, rest} for a numeric zone in the given style, or null. */
    private static String[] zoneOffset(String v, String style) {
        if (v.isEmpty() || (v.charAt(0) != '+' && v.charAt(0) != '-')) {
            return null;
        }
        String pattern = switch (style) {
            case "-07:00:00" -> "[+-]\\d\\d:\\d\\d:\\d\\d";
            case "-07:00" -> "[+-]\\d\\d:\\d\\d";
            case "-0700" -> "[+-]\\d\\d\\d\\d";
            default -> "[+-]\\d\\d";
        };
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(pattern).matcher(v);
        if (!m.lookingAt()) {
            return null;
        }
        String text = m.group();
        String norm = text.length() == 5 && !text.contains(":") ? text.substring(0, 3) + ":" + text.substring(3) : text;
        return new String[] {norm, v.substring(m.end())};
    }

    /** {value, characters consumed}: exactly {@code max} digits when fixed, else 1 to {@code max}. */
    private static int[] number(String v, int max, boolean fixed) {
        int j = 0;
        while (j < v.length() && j < max && Character.isDigit(v.charAt(j))) {
            j++;
        }
        if (j == 0 || (fixed && j != max)) {
            throw new NumberFormatException();
        }
        return new int[] {Integer.parseInt(v.substring(0, j)), j};
    }

    private static ParseException bad(String value, String layout, String rest, String elem) {
        return new ParseException("parsing time " + q(value) + " as " + q(layout) + ": cannot parse " + q(rest) + " as " + q(elem));
    }

    private static String q(String s) {
        return GoFormat.quote(s, false);
    }

    /** Go's time.ParseDuration, in nanoseconds. */
    static long parseDuration(String s) throws ParseException {
        String orig = s;
        if (s.equals("0")) {
            return 0;
        }
        boolean neg = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            throw new ParseException("time: invalid duration " + q(orig));
        }
        java.math.BigDecimal total = java.math.BigDecimal.ZERO;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d*\\.?\\d*)(ns|us|µs|μs|ms|s|m|h)?").matcher(s);
        int pos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos || m.group(1).isEmpty() || m.group(1).equals(".")) {
                throw new ParseException("time: invalid duration " + q(orig));
            }
            if (m.group(2) == null) {
                throw new ParseException("time: missing unit in duration " + q(orig));
            }
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.add(new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(unit)));
            pos = m.end();
        }
        java.math.BigInteger ns = total.toBigInteger();
        if (ns.bitLength() > 63) {
            throw new ParseException("time: invalid duration " + q(orig));
        }
        return neg ? -ns.longValue() : ns.longValue();
    }
}
