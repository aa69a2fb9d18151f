package dev.gatehouse.ports.local;

import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.StoredKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Blobs as files under a directory (for {@code gatehouse serve}): a key is a relative path. Puts
 * write a temporary file and rename it, so readers never see half a blob.
 */
public final class DirectoryBlobStore implements BlobStore {

    private static final String TEMPORARY_SUFFIX = ".partial";

    private final Path root;

    public DirectoryBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, byte[] content) {
        Path target = resolve(key);
        try {
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), ".blob", TEMPORARY_SUFFIX);
            try {
                Files.write(temporary, content);
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new StoreException("BlobStore.put", "cannot write blob '" + key + "': " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> get(String key, long maxBytes) {
        Path file = resolve(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (content.length > maxBytes) {
                throw new BlobTooLargeException(key, Files.size(file), maxBytes);
            }
            return Optional.of(content);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("BlobStore.get", "cannot read blob '" + key + "': " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix, int limit) {
        StoredKeys.blobPrefix(prefix);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        // Walk only below the prefix's directory, and skip files that vanish during the walk
        // (temporary files of concurrent puts are renamed away).
        Path start = prefix.contains("/") ? root.resolve(prefix.substring(0, prefix.lastIndexOf('/'))) : root;
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String key = root.relativize(file).toString().replace('\\', '/');
                    if (attributes.isRegularFile() && !key.endsWith(TEMPORARY_SUFFIX) && key.startsWith(prefix)) {
                        keys.add(key);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
            return keys.stream().sorted().limit(limit).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException("BlobStore.list", "cannot list blobs under '" + prefix + "': " + e.getMessage(), e);
        }
    }

    private Path resolve(String key) {
        Path path = root.resolve(StoredKeys.blobKey(key)).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("invalid blob key '" + key + "': outside the store");
        }
        return path;
    }
}
