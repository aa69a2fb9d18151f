package dev.gatehouse.rebuild;

import dev.gatehouse.io.Printable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The end of a build tool's log file (buildah, cdxgen), read without holding the whole log: a log
 * of a large image runs to megabytes of tables. Decoded leniently, since tools write terminal
 * colour codes and bytes that are not UTF-8.
 */
final class ProcessLog {

    /** How much of the log's end is read. */
    static final int TAIL_BYTES = 64 * 1024;

    private ProcessLog() {}

    /** The last non-blank line, as one escaped line of at most {@link Printable#QUOTED_ERROR_CHARS}; "no output" when none. */
    static String lastLine(Path log) throws IOException {
        List<String> lines = tailLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return Printable.oneLine(lines.get(i), Printable.QUOTED_ERROR_CHARS);
            }
        }
        return "no output";
    }

    /** The last {@code count} lines of the log's end. */
    static String tail(Path log, int count) throws IOException {
        List<String> lines = tailLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private static List<String> tailLines(Path log) throws IOException {
        byte[] tail;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, file.length() - TAIL_BYTES);
            tail = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(tail);
        }
        return new String(tail, StandardCharsets.UTF_8).lines().toList();
    }
}
