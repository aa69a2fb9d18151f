package dev.gatehouse.aws;

import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.StoredKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects in one S3 bucket, under an optional key prefix ({@code gatehouse/}). A get
 * checks the object's length before reading and never reads more than the limit.
 */
public final class S3BlobStore implements BlobStore {

    private final S3Client client;
    private final String bucket;
    private final String prefix;

    /** {@code keyPrefix} is empty or ends with {@code /}. */
    public S3BlobStore(S3Client client, String bucket, String keyPrefix) {
        if (!keyPrefix.isEmpty() && !keyPrefix.endsWith("/")) {
            throw new IllegalArgumentException("S3 key prefix must be empty or end with '/'");
        }
        this.client = client;
        this.bucket = bucket;
        this.prefix = StoredKeys.blobPrefix(keyPrefix);
    }

    @Override
    public void put(String key, byte[] content) {
        String objectKey = prefix + StoredKeys.blobKey(key);
        try {
            client.putObject(b -> b.bucket(bucket).key(objectKey).contentLength((long) content.length),
                    RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw failure("BlobStore.put", key, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key, long maxBytes) {
        String objectKey = prefix + StoredKeys.blobKey(key);
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(bucket).key(objectKey))) {
            Long length = in.response().contentLength();
            if (length != null && length > maxBytes) {
                in.abort();
                throw new BlobTooLargeException(key, length, maxBytes);
            }
            byte[] content = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (content.length > maxBytes) {
                in.abort();
                throw new BlobTooLargeException(key, -1, maxBytes);
            }
            return Optional.of(content);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("BlobStore.get", key, e);
        } catch (IOException e) {
            throw new StoreException("BlobStore.get", "s3://" + bucket + "/" + objectKey + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String keyPrefix, int limit) {
        StoredKeys.blobPrefix(keyPrefix);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        List<String> keys = new ArrayList<>();
        String token = null;
        try {
            do {
                String continuation = token;
                int remaining = limit - keys.size();
                ListObjectsV2Response page = client.listObjectsV2(b -> b.bucket(bucket).prefix(prefix + keyPrefix)
                        .maxKeys(Math.min(remaining, 1000)).continuationToken(continuation));
                for (S3Object object : page.contents()) {
                    keys.add(object.key().substring(prefix.length()));
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null && keys.size() < limit);
        } catch (SdkException e) {
            throw failure("BlobStore.list", keyPrefix, e);
        }
        return List.copyOf(keys.subList(0, Math.min(limit, keys.size())));
    }

    private StoreException failure(String operation, String key, SdkException e) {
        return new StoreException(operation, "s3://" + bucket + "/" + prefix + key + ": " + e.getMessage(), e);
    }
}
