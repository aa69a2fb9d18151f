package dev.gatehouse.ports.local;

import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.StoredKeys;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Blobs in process memory. */
public final class InMemoryBlobStore implements BlobStore {

    private final ConcurrentSkipListMap<String, byte[]> blobs = new ConcurrentSkipListMap<>();

    @Override
    public void put(String key, byte[] content) {
        blobs.put(StoredKeys.blobKey(key), content.clone());
    }

    @Override
    public Optional<byte[]> get(String key, long maxBytes) {
        byte[] content = blobs.get(StoredKeys.blobKey(key));
        if (content == null) {
            return Optional.empty();
        }
        if (content.length > maxBytes) {
            throw new BlobTooLargeException(key, content.length, maxBytes);
        }
        return Optional.of(content.clone());
    }

    @Override
    public List<String> list(String prefix, int limit) {
        StoredKeys.blobPrefix(prefix);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return blobs.keySet().stream().filter(k -> k.startsWith(prefix)).limit(limit).toList();
    }
}
