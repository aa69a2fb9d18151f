package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** time.* builtins with Go's time semantics: nanoseconds since the epoch, IANA zones, Go layouts. */
final class TimeBuiltins {

    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
    private static final BigDecimal MAX_NS = new BigDecimal(Long.MAX_VALUE);
    private static final BigDecimal MIN_NS = new BigDecimal(Long.MIN_VALUE);

    private TimeBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.registerNondeterministic("time.now_ns", 0, (a, c) -> NumberValue.of(c.nowNanos()));
        r.register("time.parse_ns", 2, (a, c) -> {
            String layout = Operands.string(a, 0);
            return parsed(GoTime.NAMED.getOrDefault(layout, layout), Operands.string(a, 1));
        });
        r.register("time.parse_rfc3339_ns", 1, (a, c) -> parsed(GoTime.RFC3339, Operands.string(a, 0)));
        r.register("time.parse_duration_ns", 1, (a, c) -> {
            try {
                return NumberValue.of(GoTime.parseDuration(Operands.string(a, 0)));
            } catch (GoTime.ParseException e) {
                throw BuiltinException.error(e.getMessage());
            }
        });
        r.register("time.date", 1, (a, c) -> {
            ZonedDateTime t = time(a[0]);
            return ArrayValue.of(NumberValue.of(t.getYear()), NumberValue.of(t.getMonthValue()), NumberValue.of(t.getDayOfMonth()));
        });
        r.register("time.clock", 1, (a, c) -> {
            ZonedDateTime t = time(a[0]);
            return ArrayValue.of(NumberValue.of(t.getHour()), NumberValue.of(t.getMinute()), NumberValue.of(t.getSecond()));
        });
        r.register("time.weekday", 1, (a, c) -> StringValue.of(time(a[0]).getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)));
        r.register("time.add_date", 4, (a, c) -> {
            ZonedDateTime t = at(nanos(a[0], 1), ZoneOffset.UTC);
            long years = Operands.integer(a, 1);
            long months = Operands.integer(a, 2);
            long days = Operands.integer(a, 3);
            long month = t.getMonthValue() - 1 + months;
            long year = t.getYear() + years + Math.floorDiv(month, 12);
            month = Math.floorMod(month, 12) + 1;
            try {
                LocalDate date = LocalDate.of((int) year, (int) month, 1).plusDays(t.getDayOfMonth() - 1L + days);
                ZonedDateTime out = date.atTime(t.toLocalTime()).atZone(ZoneOffset.UTC);
                return NumberValue.of(toNanos(out.toInstant()));
            } catch (DateTimeException | ArithmeticException e) {
                throw BuiltinException.error("time outside of valid range");
            }
        });
        r.register("time.diff", 2, (a, c) -> {
            ZonedDateTime t1 = time(a[0]);
            ZonedDateTime t2 = time(a[1]).withZoneSameInstant(t1.getZone());
            if (t1.isAfter(t2)) {
                ZonedDateTime x = t1;
                t1 = t2;
                t2 = x;
            }
            int year = t2.getYear() - t1.getYear();
            int month = t2.getMonthValue() - t1.getMonthValue();
            int day = t2.getDayOfMonth() - t1.getDayOfMonth();
            int hour = t2.getHour() - t1.getHour();
            int min = t2.getMinute() - t1.getMinute();
            int sec = t2.getSecond() - t1.getSecond();
            if (sec < 0) {
                sec += 60;
                min--;
            }
            if (min < 0) {
                min += 60;
                hour--;
            }
            if (hour < 0) {
                hour += 24;
                day--;
            }
            if (day < 0) {
                day += LocalDate.of(t1.getYear(), t1.getMonthValue(), 1).lengthOfMonth();
                month--;
            }
            if (month < 0) {
                month += 12;
                year--;
            }
            return ArrayValue.of(NumberValue.of(year), NumberValue.of(month), NumberValue.of(day),
                    NumberValue.of(hour), NumberValue.of(min), NumberValue.of(sec));
        });
        r.register("time.format", 1, (a, c) -> {
            String layout = GoTime.RFC3339_NANO;
            if (a[0] instanceof ArrayValue arr && arr.size() == 3) {
                if (!(arr.get(2) instanceof StringValue s)) {
                    throw BuiltinException.typeError("layout must be a string");
                }
                layout = GoTime.NAMED.getOrDefault(s.value(), s.value());
            }
            return StringValue.of(GoTime.format(time(a[0]), layout));
        });
    }

    private static Value parsed(String layout, String value) throws BuiltinException {
        try {
            BigInteger ns = GoTime.parse(layout, value, ZoneOffset.UTC);
            if (ns.bitLength() > 63) {
                throw BuiltinException.error("time outside of valid range");
            }
            return NumberValue.of(ns);
        } catch (GoTime.ParseException e) {
            throw BuiltinException.error(e.getMessage());
        }
    }

    /** A number of nanoseconds or [ns, zone] or [ns, zone, layout], in its zone ("" and "UTC" are UTC). */
    private static ZonedDateTime time(Value v) throws BuiltinException {
        if (v instanceof NumberValue) {
            return at(nanos(v, 1), ZoneOffset.UTC);
        }
        if (v instanceof ArrayValue arr) {
            if (arr.size() < 2 || arr.size() > 3) {
                throw BuiltinException.error("array should have 2 or 3 elements");
            }
            long ns = nanos(arr.get(0), 1);
            if (!(arr.get(1) instanceof StringValue tz)) {
                throw BuiltinException.typeError("timezone must be a string");
            }
            return at(ns, zone(tz.value()));
        }
        throw BuiltinException.operandType(1, v, "number", "array");
    }

    private static ZoneId zone(String name) throws BuiltinException {
        if (name.isEmpty() || name.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        if (name.equals("Local")) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw BuiltinException.error("unknown time zone " + name);
        }
    }

    private static long nanos(Value v, int position) throws BuiltinException {
        if (!(v instanceof NumberValue n)) {
            throw BuiltinException.operandType(position, v, "number");
        }
        BigDecimal d = n.decimal();
        if (d.compareTo(MAX_NS) > 0 || d.compareTo(MIN_NS) < 0) {
            throw BuiltinException.error("timestamp too big");
        }
        return d.longValue();
    }

    private static ZonedDateTime at(long ns, ZoneId zone) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)).atZone(zone);
    }

    private static BigInteger toNanos(Instant i) {
        BigInteger ns = BigInteger.valueOf(i.getEpochSecond()).multiply(NANOS).add(BigInteger.valueOf(i.getNano()));
        if (ns.bitLength() > 63) {
            throw new ArithmeticException("out of range");
        }
        return ns;
    }
}
