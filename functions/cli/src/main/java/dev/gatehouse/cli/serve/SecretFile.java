package dev.gatehouse.cli.serve;

import dev.gatehouse.handlers.SharedSecret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A shared secret {@code gatehouse serve} reads from a file ({@code --webhook-secret-file},
 * {@code --admission-secret-file}): read with a bound, and refused with a message that names the flag
 * and the file.
 */
public final class SecretFile {

    /** Far beyond any generated secret: a larger file is a wrong path, not a secret. */
    static final int MAX_BYTES = 4096;

    private SecretFile() {
    }

    public static SharedSecret read(String flag, Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException(flag + " " + file + ": larger than " + MAX_BYTES + " bytes, not a secret");
        }
        try {
            return SharedSecret.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + " " + file + ": " + e.getMessage(), e);
        }
    }
}
