package dev.gatehouse.oci;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * One repository of images and attached artifacts: a repository in a registry
 * ({@link RegistryClient#repository}) or an OCI image layout directory ({@link OciLayout}).
 * Everything read is checked: manifests and blobs against the digest they were asked for, sizes
 * against limits, documents against their schema. Failures are {@link RegistryException}s whose
 * kind says what went wrong.
 */
public interface OciRepository {

    /** Display name: {@code host/path} for a registry repository, {@code oci:DIR} for a layout. */
    String name();

    /**
     * Resolves a tag or a digest to the descriptor of the manifest or index it names (media type,
     * digest, size). For a layout a null tag means "the only image in it".
     */
    Descriptor resolve(String tagOrDigest) throws RegistryException;

    /** Fetches and parses a manifest or index by digest; the bytes are checked against the digest. */
    Manifest manifest(Digest digest) throws RegistryException;

    /**
     * Like {@link #manifest(Digest)} but also checks the size the descriptor announced, and uses its
     * media type when the document has none.
     */
    Manifest manifest(Descriptor descriptor) throws RegistryException;

    /**
     * Opens a blob as a stream that counts and hashes what it returns: reading past
     * {@code maxBytes} fails with kind TOO_LARGE, and reaching the end with content that does not hash
     * to {@code digest} fails with kind DIGEST_MISMATCH. Both surface from {@code read} as a
     * {@link BlobIntegrityException}. The caller closes the stream.
     */
    InputStream openBlob(Digest digest, long maxBytes) throws RegistryException;

    /** Reads a whole blob into memory, checked against its digest and {@code maxBytes}. */
    byte[] blob(Digest digest, int maxBytes) throws RegistryException;

    /**
     * The manifests that declare {@code subject} as their subject (OCI 1.1 referrers), optionally
     * only those of one artifact type (null for all). A registry is asked through the referrers API
     * first and through the {@code sha256-<hex>} tag index when it has no such API; a layout is
     * searched directly. An empty list means there are none.
     */
    List<Descriptor> referrers(Digest subject, String artifactType) throws RegistryException;

    /**
     * The manifest cosign attached to {@code subject} under its tag scheme ({@code sha256-<hex>.sig},
     * {@code .att}, {@code .sbom}), or empty when there is none.
     */
    Optional<Descriptor> cosignArtifact(Digest subject, CosignTag kind) throws RegistryException;

    /** All tags, in the order the source lists them. */
    List<String> tags() throws RegistryException;

    /** Stores a blob (if it is not there yet) and returns its descriptor with the given media type. */
    Descriptor putBlob(byte[] content, String mediaType) throws RegistryException;

    /**
     * Stores a manifest or index (its blobs must be there already), under {@code tag} when it is not
     * null. When the manifest has a subject and the registry has no referrers API, the
     * {@code sha256-<hex>} tag index of the subject is updated so that {@link #referrers} finds it.
     * A layout lists a manifest in index.json only when it is tagged or has a subject; other
     * manifests are stored for an index to point to.
     */
    Descriptor putManifest(Manifest manifest, String tag) throws RegistryException;

    /** Points {@code tag} at the manifest or index {@code digest}, which must exist. */
    void tag(Digest digest, String tag) throws RegistryException;
}
