package dev.gatehouse.handlers.scan;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Names one compliance scan: its start time in UTC and 32 random bits ({@code 20261127T021500Z-1a2b3c4d}),
 * so ids sort by time and report keys of two scans never collide.
 */
public final class ScanId {

    private static final Pattern FORM = Pattern.compile("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private ScanId() {}

    public static String next(Instant startedAt) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return STAMP.format(startedAt.truncatedTo(ChronoUnit.SECONDS)) + "-" + HexFormat.of().formatHex(random);
    }

    /** Returns {@code id} if it has the form of a scan id; it becomes part of blob keys. */
    public static String check(String id) {
        if (id == null || !FORM.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid scan id '" + (id == null ? "null"
                    : id.length() > 40 ? id.substring(0, 40) + "..." : id) + "': expected yyyyMMddTHHmmssZ-<8 hex>");
        }
        return id;
    }
}
