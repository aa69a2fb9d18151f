package dev.gatehouse.rego.bundle;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.rego.archive.BoundedTarGz;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile .tar.gz bundles are refused at their limits with a one-line error, before they fill the heap. */
class BundleResourceBoundsTest {

    @TempDir
    Path dir;

    /** A ustar header claiming {@code size} bytes for {@code name} (the reader does not check header checksums). */
    private static byte[] header(String name, long size) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, n.length);
        h[156] = '0';
        byte[] octal = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(octal, 0, h, 124, octal.length);
        return h;
    }

    /** Entries of zeros: a few hundred kilobytes of gzip that expand to {@code entries * entryBytes}. */
    private Path bomb(int entries, long entryBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < entries; i++) {
                gz.write(header("data/" + i + "/data.json", entryBytes));
                for (long left = entryBytes; left > 0; left -= zeros.length) {
                    gz.write(zeros, 0, (int) Math.min(zeros.length, left));
                }
                gz.write(new byte[(int) ((512 - entryBytes % 512) % 512)]);
            }
            gz.write(new byte[1024]);
        }
        Path file = dir.resolve("bomb.tar.gz");
        Files.write(file, bytes.toByteArray());
        return file;
    }

    @Test
    void entryDeclaringMoreThanTheFileLimitIsRefusedBeforeItIsRead() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(header("data.json", 1L << 32));
        }
        Path file = dir.resolve("liar.tar.gz");
        Files.write(file, bytes.toByteArray());
        assertThatThrownBy(() -> BundleLoader.load(file, BundleVerification.NONE, false))
                .isInstanceOf(BundleException.class)
                .hasMessage("bundle " + file + ": data.json: entry of 4294967296 bytes exceeds the limit of 33554432 bytes");
    }

    @Test
    void gzipThatExpandsBeyondTheTotalLimitIsRefused() throws Exception {
        Path file = bomb(3, 30L * 1024 * 1024);
        assertThatThrownBy(() -> BundleLoader.load(file, BundleVerification.NONE, false))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("bundle " + file + ": data/").hasMessageEndingWith(": archive expands beyond 67108864 bytes");
    }

    @Test
    void truncatedEntryIsRefusedWithoutAllocatingItsDeclaredSize() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(header("data.json", 30L * 1024 * 1024));
            gz.write("{}".getBytes(StandardCharsets.US_ASCII));
        }
        Path file = dir.resolve("short.tar.gz");
        Files.write(file, bytes.toByteArray());
        assertThatThrownBy(() -> BundleLoader.load(file, BundleVerification.NONE, false))
                .hasMessage("bundle " + file + ": data.json: truncated tar entry");
    }

    @Test
    void tooManyFilesAreRefused() throws Exception {
        Path file = bomb(BundleFiles.MAX_FILES + 1, 0);
        assertThatThrownBy(() -> BundleLoader.load(file, BundleVerification.NONE, false))
                .hasMessage("bundle " + file + ": entry 20001: more than 20000 entries");
    }

    @Test
    void deeplyNestedDataIsRefusedWithTheFileAndPosition() throws Exception {
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        Path file = dir.resolve("deep.tar.gz");
        Files.write(file, BoundedTarGz.write(Map.of("data.json", deep.getBytes(StandardCharsets.UTF_8))));
        assertThatThrownBy(() -> BundleLoader.load(file, BundleVerification.NONE, false))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("bundle " + file + ": data.json: JSON at line 1, column ")
                .hasMessageContaining("nesting depth")
                .hasMessageNotContaining("\n");
    }

    @Test
    void deeplyNestedYamlDataIsRefused() throws Exception {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        Path file = dir.resolve("deep-yaml.tar.gz");
        Files.write(file, BoundedTarGz.write(Map.of("data.yaml", deep.getBytes(StandardCharsets.UTF_8))));
        assertThatThrownBy(() -> BundleLoader.load(file, BundleVerification.NONE, false))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("bundle " + file + ": data.yaml: YAML: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void truncatedArchiveIsRefusedEvenWhenEveryFileWasRead() throws Exception {
        byte[] tgz = BoundedTarGz.write(Map.of("data.json", "{\"a\": 1}".getBytes(StandardCharsets.UTF_8)));
        Path file = dir.resolve("cut.tar.gz");
        // The gzip trailer (CRC-32 and length) is the last 8 bytes: without it the content is unchecked.
        Files.write(file, java.util.Arrays.copyOf(tgz, tgz.length - 4));
        assertThatThrownBy(() -> BundleLoader.load(file, BundleVerification.NONE, false))
                .isInstanceOf(BundleException.class)
                .hasMessage("bundle " + file + ": not a readable .tar.gz: truncated");
    }
}
