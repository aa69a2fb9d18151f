package dev.gatehouse.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Writes a small ustar archive of regular files and gzips it: an image layer built without Docker. */
final class TarLayer {

    /** A file in the layer: path without leading slash, octal mode (e.g. 0755), content. */
    record Entry(String path, int mode, byte[] content) {}

    private TarLayer() {}

    static byte[] tar(Iterable<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : entries) {
            out.writeBytes(header(e));
            out.writeBytes(e.content());
            int pad = (512 - e.content().length % 512) % 512;
            out.writeBytes(new byte[pad]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] header(Entry e) {
        byte[] h = new byte[512];
        byte[] name = e.path().getBytes(StandardCharsets.UTF_8);
        if (name.length > 100) {
            throw new IllegalArgumentException("path too long for a ustar header: " + e.path());
        }
        System.arraycopy(name, 0, h, 0, name.length);
        octal(h, 100, 8, e.mode());
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, e.content().length);
        octal(h, 136, 12, 0);
        h[156] = '0';
        put(h, 257, "ustar\u000000");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        return h;
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String s = String.format("%0" + (length - 1) + "o", value);
        put(h, offset, s);
    }

    private static void put(byte[] h, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, offset, b.length);
    }
}
