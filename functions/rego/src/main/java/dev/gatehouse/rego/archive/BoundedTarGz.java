package dev.gatehouse.rego.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * The regular files of a {@code .tar.gz} from outside (policy bundles, Helm charts, layers): ustar,
 * pax and GNU long names; links, devices and directories are skipped. Every entry is counted and
 * its bytes read against the limits (headers, skipped entries and padding included), so a
 * decompression bomb stops at the limit rather than at the end, and a declared size is never
 * trusted for an allocation.
 */
public final class BoundedTarGz {

    /** Bounds on one archive: entries, the largest kept file, and all bytes expanded. */
    public record Limits(int maxEntries, int maxFileBytes, long maxExpandedBytes) {}

    private static final int BLOCK = 512;
    /** The size field holds 11 octal digits: at most 8^11 - 1, well inside a long. */
    private static final int SIZE_DIGITS = 11;

    private final Limits limits;
    private long expanded;

    private BoundedTarGz(Limits limits) {
        this.limits = limits;
    }

    /** The files whose normalised path {@code wanted} accepts, by path, in archive order. */
    public static Map<String, byte[]> read(byte[] tgz, Limits limits, Predicate<String> wanted) throws TarGzException {
        return read(new ByteArrayInputStream(tgz), limits, wanted);
    }

    /** As {@link #read(byte[], Limits, Predicate)}, streaming the gzip from {@code tgz} (not closed). */
    public static Map<String, byte[]> read(InputStream tgz, Limits limits, Predicate<String> wanted) throws TarGzException {
        try {
            return new BoundedTarGz(limits).entries(new GZIPInputStream(tgz, 8192), wanted);
        } catch (IOException e) {
            String why = e instanceof EOFException || e.getMessage() == null ? "truncated" : e.getMessage();
            throw new TarGzException("", "not a readable .tar.gz: " + why);
        }
    }

    private Map<String, byte[]> entries(InputStream in, Predicate<String> wanted) throws IOException, TarGzException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String longName = null;
        int entries = 0;
        while (true) {
            byte[] header = readBlock(in);
            if (header == null || isZero(header)) {
                drain(in);
                return files;
            }
            if (++entries > limits.maxEntries()) {
                throw new TarGzException("entry " + entries, "more than " + limits.maxEntries() + " entries");
            }
            String name = longName != null ? longName : headerName(header);
            longName = null;
            long size = octal(header, 124, 12, name);
            char type = (char) header[156];
            boolean keep = (type == '0' || type == '\0') && wanted.test(normalise(name));
            if (type == 'x' || type == 'L' || keep) {
                if (size > limits.maxFileBytes()) {
                    throw new TarGzException(name, "entry of " + size + " bytes exceeds the limit of " + limits.maxFileBytes() + " bytes");
                }
                byte[] content = readFully(in, (int) size, name);
                skip(in, padding(size), name);
                if (type == 'x') {
                    longName = paxPath(content);
                } else if (type == 'L') {
                    longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                } else {
                    files.put(normalise(name), content);
                }
            } else {
                skip(in, size + padding(size), name);
            }
        }
    }

    /**
     * Reads the rest of the stream (padding after the end-of-archive blocks, counted against the
     * limits) so the gzip trailer is checked: a truncated or corrupted archive fails instead of
     * yielding the files read so far.
     */
    private void drain(InputStream in) throws IOException, TarGzException {
        byte[] buffer = new byte[8192];
        for (int r; (r = in.read(buffer)) > 0; ) {
            count(r, "end of archive");
        }
    }

    private byte[] readBlock(InputStream in) throws IOException, TarGzException {
        byte[] block = in.readNBytes(BLOCK);
        if (block.length == 0) {
            return null;
        }
        if (block.length < BLOCK) {
            throw new TarGzException("", "truncated tar header");
        }
        count(BLOCK, "header");
        return block;
    }

    private byte[] readFully(InputStream in, int size, String name) throws IOException, TarGzException {
        count(size, name);
        byte[] content = in.readNBytes(size);
        if (content.length < size) {
            throw new TarGzException(name, "truncated tar entry");
        }
        return content;
    }

    private void skip(InputStream in, long n, String name) throws IOException, TarGzException {
        count(n, name);
        byte[] buffer = new byte[8192];
        long left = n;
        while (left > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (r < 0) {
                throw new TarGzException(name, "truncated tar entry");
            }
            left -= r;
        }
    }

    private void count(long n, String name) throws TarGzException {
        expanded += n;
        if (expanded > limits.maxExpandedBytes()) {
            throw new TarGzException(name, "archive expands beyond " + limits.maxExpandedBytes() + " bytes");
        }
    }

    private static long octal(byte[] header, int offset, int length, String name) throws TarGzException {
        int i = offset;
        int end = offset + length;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < end && header[i] >= '0' && header[i] <= '7'; i++) {
            if (++digits > SIZE_DIGITS) {
                throw new TarGzException(name, "tar entry size out of range");
            }
            value = value * 8 + (header[i] - '0');
        }
        if (i < end && header[i] != ' ' && header[i] != 0) {
            throw new TarGzException(name, "invalid tar entry size");
        }
        return value;
    }

    private static String headerName(byte[] header) {
        String name = cString(header, 0, 100);
        if (header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r') {
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private static String paxPath(byte[] records) {
        String text = new String(records, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.startsWith("path=", sp + 1)) {
                return line.substring(sp + 1 + "path=".length());
            }
        }
        return null;
    }

    private static String normalise(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.substring(n.startsWith("./") ? 2 : 1);
        }
        return n;
    }

    private static String cString(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    /** Writes files as a {@code .tar.gz} (ustar, mode 0644): bundles, charts and layers built by tools and tests. */
    public static byte[] write(Map<String, byte[]> files) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] header = new byte[BLOCK];
            byte[] name = f.getKey().getBytes(StandardCharsets.UTF_8);
            if (name.length > 100) {
                throw new IllegalArgumentException("name longer than 100 bytes: " + f.getKey());
            }
            System.arraycopy(name, 0, header, 0, name.length);
            put(header, 100, String.format("%07o", 0644));
            put(header, 108, String.format("%07o", 0));
            put(header, 116, String.format("%07o", 0));
            put(header, 124, String.format("%011o", f.getValue().length));
            put(header, 136, String.format("%011o", 0));
            header[156] = '0';
            put(header, 257, "ustar");
            put(header, 263, "00");
            for (int i = 148; i < 156; i++) {
                header[i] = ' ';
            }
            int sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            put(header, 148, String.format("%06o", sum));
            header[154] = 0;
            tar.writeBytes(header);
            tar.writeBytes(f.getValue());
            tar.writeBytes(new byte[(int) padding(f.getValue().length)]);
        }
        tar.writeBytes(new byte[BLOCK * 2]);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(tar.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("in-memory gzip failed", e);
        }
        return gz.toByteArray();
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }
}
