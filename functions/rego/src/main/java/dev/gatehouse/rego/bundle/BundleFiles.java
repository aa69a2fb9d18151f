package dev.gatehouse.rego.bundle;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Reads the files of a bundle directory or {@code .tar.gz}, with bounded sizes and safe names. */
public final class BundleFiles {

    static final int MAX_FILES = 20_000;
    // Everything is held in memory and then parsed into larger values: bound what a .tar.gz may expand to.
    static final long MAX_TOTAL_BYTES = 64L * 1024 * 1024;
    static final long MAX_FILE_BYTES = 32L * 1024 * 1024;

    private BundleFiles() {
    }

    public static Map<String, byte[]> read(Path source) throws BundleException {
        try {
            if (Files.isDirectory(source)) {
                return readDirectory(source);
            }
            if (!Files.isRegularFile(source)) {
                throw new BundleException("bundle " + source + ": no such file or directory");
            }
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(source)))) {
                return readTar(source.toString(), in);
            }
        } catch (IOException e) {
            throw new BundleException("bundle " + source + ": " + e.getMessage(), e);
        }
    }

    /** Reads a {@code .tar.gz} bundle held in memory (fetched from a blob store); {@code label} names it in errors. */
    public static Map<String, byte[]> readTarGz(String label, byte[] content) throws BundleException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(content))) {
            return readTar(label, in);
        } catch (IOException e) {
            throw new BundleException("bundle " + label + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> readDirectory(Path dir) throws IOException, BundleException {
        Map<String, byte[]> out = new TreeMap<>();
        long total = 0;
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path p : files) {
            String name = dir.relativize(p).toString().replace('\\', '/');
            long size = Files.size(p);
            if (size > MAX_FILE_BYTES) {
                throw new BundleException("bundle " + dir + ": file " + name + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            total += size;
            if (total > MAX_TOTAL_BYTES || out.size() >= MAX_FILES) {
                throw new BundleException("bundle " + dir + ": more than " + MAX_TOTAL_BYTES + " bytes or " + MAX_FILES + " files");
            }
            out.put(name, Files.readAllBytes(p));
        }
        return out;
    }

    /** A minimal ustar/pax/GNU tar reader: regular files only; links and devices are ignored. */
    static Map<String, byte[]> readTar(String label, InputStream in) throws IOException, BundleException {
        Map<String, byte[]> out = new TreeMap<>();
        byte[] header = new byte[512];
        long total = 0;
        String longName = null;
        while (true) {
            if (!readFully(in, header)) {
                return out;
            }
            boolean empty = true;
            for (byte b : header) {
                if (b != 0) {
                    empty = false;
                    break;
                }
            }
            if (empty) {
                return out;
            }
            String name = cString(header, 0, 100);
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty() && header[257] == 'u') {
                name = prefix + "/" + name;
            }
            long size = octal(header, 124, 12, label);
            char type = (char) header[156];
            if (size < 0) {
                throw new BundleException("bundle " + label + ": tar entry " + name + " has an invalid size");
            }
            if (size > MAX_FILE_BYTES) {
                throw new BundleException("bundle " + label + ": tar entry " + name + " of " + size + " bytes exceeds the limit of "
                        + MAX_FILE_BYTES + " bytes");
            }
            total += size;
            if (total > MAX_TOTAL_BYTES) {
                throw new BundleException("bundle " + label + ": expands to more than " + MAX_TOTAL_BYTES + " bytes");
            }
            if (out.size() >= MAX_FILES) {
                throw new BundleException("bundle " + label + ": more than " + MAX_FILES + " files");
            }
            // Read as the bytes arrive: a header's size is not trusted for an up-front allocation.
            byte[] body = in.readNBytes((int) size);
            if (body.length != size) {
                throw new BundleException("bundle " + label + ": truncated tar entry " + name);
            }
            long pad = (512 - size % 512) % 512;
            in.skipNBytes(pad);
            if (type == 'L') {
                longName = cString(body, 0, body.length);
                continue;
            }
            if (type == 'x') {
                String path = paxPath(body);
                if (path != null) {
                    longName = path;
                }
                continue;
            }
            if (type == 'g') {
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            if (type != '0' && type != '\0') {
                continue;
            }
            out.put(safeName(label, name), body);
        }
    }

    private static String paxPath(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        for (String line : s.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.startsWith("path=", sp + 1)) {
                return line.substring(sp + 6);
            }
        }
        return null;
    }

    /** Normalises a bundle path; names that climb out of the bundle are rejected. */
    static String safeName(String label, String name) throws BundleException {
        String n = name.replace('\\', '/');
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        for (String part : n.split("/")) {
            if (part.equals("..")) {
                throw new BundleException("bundle " + label + ": entry " + name + " escapes the bundle");
            }
        }
        return n;
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                return off == 0 && buf.length > 0 ? false : off == buf.length;
            }
            off += n;
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len, String label) throws BundleException {
        String s = cString(b, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new BundleException("bundle " + label + ": malformed tar header");
        }
    }

    /** Writes files as a .tar.gz (used to build bundles in tests and tools). */
    public static byte[] writeTarGz(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                byte[] h = new byte[512];
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                System.arraycopy(name, 0, h, 0, Math.min(name.length, 100));
                put(h, 100, String.format("%07o", 0644));
                put(h, 108, String.format("%07o", 0));
                put(h, 116, String.format("%07o", 0));
                put(h, 124, String.format("%011o", e.getValue().length));
                put(h, 136, String.format("%011o", 0));
                h[156] = '0';
                put(h, 257, "ustar");
                h[263] = '0';
                h[264] = '0';
                for (int i = 148; i < 156; i++) {
                    h[i] = ' ';
                }
                long sum = 0;
                for (byte b : h) {
                    sum += b & 0xff;
                }
                put(h, 148, String.format("%06o", sum));
                h[154] = 0;
                gz.write(h);
                gz.write(e.getValue());
                gz.write(new byte[(int) ((512 - e.getValue().length % 512) % 512)]);
            }
            gz.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
