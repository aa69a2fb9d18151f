package dev.gatehouse.sample;

import dev.gatehouse.io.UstarHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** Writes a small ustar archive of regular files and gzips it: an image layer built without Docker. */
public final class TarLayer {

    /** A file in the layer: path without leading slash, octal mode (e.g. 0755), content. */
    public record Entry(String path, int mode, byte[] content) {}

    private TarLayer() {}

    public static byte[] tar(Iterable<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : entries) {
            out.writeBytes(UstarHeader.of(e.path(), e.content().length, UstarHeader.REGULAR_FILE, e.mode()));
            out.writeBytes(e.content());
            out.writeBytes(UstarHeader.padding(e.content().length));
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
