package dev.gatehouse.ports;

import java.util.List;
import java.util.Optional;

/**
 * Bytes by key: policy bundles by revision ({@code bundles/<revision>.tar.gz}), reports
 * ({@code reports/<digest hex>.json}). Keys are relative {@code /}-separated paths (see
 * {@link StoredKeys#blobKey}). A put replaces the whole blob at once.
 */
public interface BlobStore {

    void put(String key, byte[] content);

    /**
     * The blob at {@code key}, or empty if there is none. A blob larger than {@code maxBytes} is
     * not read into memory: {@link BlobTooLargeException}.
     */
    Optional<byte[]> get(String key, long maxBytes);

    /** Keys starting with {@code prefix}, sorted, at most {@code limit}. */
    List<String> list(String prefix, int limit);

    /** A blob exceeded the size the caller accepts. */
    final class BlobTooLargeException extends StoreException {
        public BlobTooLargeException(String key, long size, long maxBytes) {
            super("BlobStore.get", "blob '" + key + "' is " + (size < 0 ? "more than " + maxBytes : size)
                    + " bytes, limit " + maxBytes);
        }
    }
}
