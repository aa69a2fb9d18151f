package dev.gatehouse.rego.bundle;

import dev.gatehouse.rego.archive.BoundedTarGz;
import dev.gatehouse.rego.archive.TarGzException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads the files of a bundle directory or {@code .tar.gz} ({@link BoundedTarGz}), with bounded sizes and safe names. */
public final class BundleFiles {

    static final int MAX_FILES = 20_000;
    // Everything is held in memory and then parsed into larger values: bound what a .tar.gz may expand to.
    static final long MAX_TOTAL_BYTES = 64L * 1024 * 1024;
    static final int MAX_FILE_BYTES = 32 * 1024 * 1024;
    static final BoundedTarGz.Limits LIMITS = new BoundedTarGz.Limits(MAX_FILES, MAX_FILE_BYTES, MAX_TOTAL_BYTES);

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
            try (InputStream in = new BufferedInputStream(Files.newInputStream(source))) {
                return readTar(source.toString(), in);
            }
        } catch (IOException e) {
            throw new BundleException("bundle " + source + ": " + e.getMessage(), e);
        }
    }

    /** Reads a {@code .tar.gz} bundle held in memory (fetched from a blob store); {@code label} names it in errors. */
    public static Map<String, byte[]> readTarGz(String label, byte[] content) throws BundleException {
        return readTar(label, new ByteArrayInputStream(content));
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

    private static Map<String, byte[]> readTar(String label, InputStream tgz) throws BundleException {
        Map<String, byte[]> files;
        try {
            files = BoundedTarGz.read(tgz, LIMITS, name -> true);
        } catch (TarGzException e) {
            throw new BundleException("bundle " + label + ": " + e.getMessage());
        }
        Map<String, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            out.put(safeName(label, f.getKey()), f.getValue());
        }
        return out;
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
}
