package dev.gatehouse.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** One repository of a registry, over {@link RegistryClient}; see {@link OciRepository} for the contract. */
final class RegistryRepository implements OciRepository {

    private static final int MAX_PAGES = 100;
    private static final int MAX_TAGS = 100_000;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private final RegistryClient client;
    private final String path;
    private final String name;
    private final String pull;
    private final String push;
    RegistryRepository(RegistryClient client, String path) {
        this.client = client;
        this.path = path;
        this.name = client.host() + "/" + path;
        this.pull = "repository:" + path + ":pull";
        this.push = "repository:" + path + ":pull,push";
    }

    @Override
    public String name() {
        return name;
    }

    private URI manifestUri(String reference) {
        return client.uri("/v2/" + path + "/manifests/" + reference);
    }

    private URI blobUri(Digest digest) {
        return client.uri("/v2/" + path + "/blobs/" + digest);
    }

    private static void checkReference(String tagOrDigest) throws RegistryException {
        if (tagOrDigest == null || !(Digest.isDigest(tagOrDigest) || TAG.matcher(tagOrDigest).matches())) {
            throw new RegistryException(RegistryException.Kind.REJECTED, "invalid tag or digest '" + tagOrDigest + "'");
        }
    }

    @Override
    public Descriptor resolve(String tagOrDigest) throws RegistryException {
        checkReference(tagOrDigest);
        Digest pinned = Digest.isDigest(tagOrDigest) ? Digest.parse(tagOrDigest) : null;
        String what = name + ":" + tagOrDigest;
        HttpResponse<InputStream> response = client.send("HEAD", manifestUri(tagOrDigest), pull,
                Map.of("Accept", MediaTypes.MANIFEST_ACCEPT), null, true);
        client.expect(response, 200, what);
        RegistryClient.discard(response);
        String contentType = MediaTypes.essence(response.headers().firstValue("Content-Type").orElse(null));
        Optional<String> header = response.headers().firstValue("Docker-Content-Digest");
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (header.isPresent() && Digest.isDigest(header.get()) && MediaTypes.isManifestOrIndex(contentType) && length >= 0) {
            Digest digest = Digest.parse(header.get());
            if (pinned != null && !pinned.equals(digest)) {
                throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, what + ": the registry answered with digest " + digest);
            }
            if (length > Manifest.MAX_BYTES) {
                throw new RegistryException(RegistryException.Kind.TOO_LARGE, what + ": manifest of " + length
                        + " bytes exceeds the limit of " + Manifest.MAX_BYTES + " bytes");
            }
            return new Descriptor(contentType, digest, length, Map.of(), null, null);
        }
        return fetch(tagOrDigest, pinned, null).descriptor();
    }

    @Override
    public Manifest manifest(Digest digest) throws RegistryException {
        Manifest cached = client.cachedManifest(path, digest);
        return cached != null ? cached : fetch(digest.toString(), digest, null);
    }

    @Override
    public Manifest manifest(Descriptor descriptor) throws RegistryException {
        if (descriptor.size() > Manifest.MAX_BYTES) {
            throw new RegistryException(RegistryException.Kind.TOO_LARGE, name + "@" + descriptor.digest() + ": manifest of "
                    + descriptor.size() + " bytes exceeds the limit of " + Manifest.MAX_BYTES + " bytes");
        }
        Manifest m = client.cachedManifest(path, descriptor.digest());
        if (m == null) {
            m = fetch(descriptor.digest().toString(), descriptor.digest(), descriptor.mediaType());
        }
        if (m.size() != descriptor.size()) {
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, name + "@" + descriptor.digest()
                    + ": manifest has " + m.size() + " bytes but its descriptor says " + descriptor.size());
        }
        return m;
    }

    /** GETs a manifest by tag or digest; by digest the bytes must hash to it, by tag the digest is computed. */
    private Manifest fetch(String reference, Digest pinned, String declaredMediaType) throws RegistryException {
        String what = name + (pinned != null ? "@" : ":") + reference;
        HttpResponse<InputStream> response = client.send("GET", manifestUri(reference), pull,
                Map.of("Accept", MediaTypes.MANIFEST_ACCEPT), null, true);
        client.expect(response, 200, what);
        byte[] raw = client.readBounded(response, Manifest.MAX_BYTES, what + ": manifest");
        Digest digest = pinned;
        if (digest == null) {
            Optional<String> header = response.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest);
            digest = header.isPresent() ? Digest.parse(header.get()) : Digest.sha256(raw);
        }
        if (!digest.matches(raw)) {
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, what + ": content does not match digest " + digest);
        }
        String contentType = response.headers().firstValue("Content-Type").orElse(declaredMediaType);
        if (!MediaTypes.isManifestOrIndex(MediaTypes.essence(contentType))) {
            contentType = declaredMediaType;
        }
        try {
            Manifest m = Manifest.parse(raw, contentType, digest);
            client.cacheManifest(path, m);
            return m;
        } catch (MalformedInputException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream openBlob(Digest digest, long maxBytes) throws RegistryException {
        String what = name + "@" + digest;
        HttpResponse<InputStream> response = client.send("GET", blobUri(digest), pull, Map.of(), null, true);
        client.expect(response, 200, what);
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > maxBytes) {
            RegistryClient.discard(response);
            throw new RegistryException(RegistryException.Kind.TOO_LARGE, what + ": blob of " + declared
                    + " bytes exceeds the limit of " + maxBytes + " bytes");
        }
        return new VerifyingInputStream(new ReadTimeoutInputStream(response.body(), client.readTimeout()), digest, maxBytes,
                what + ": blob");
    }

    @Override
    public byte[] blob(Digest digest, int maxBytes) throws RegistryException {
        try (InputStream in = openBlob(digest, maxBytes)) {
            return in.readAllBytes();
        } catch (BlobIntegrityException e) {
            throw e.reason();
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, name + "@" + digest + ": reading the blob failed: "
                    + RegistryClient.describe(e), e);
        }
    }

    @Override
    public List<Descriptor> referrers(Digest subject, String artifactType) throws RegistryException {
        List<Descriptor> found = null;
        if (!Boolean.FALSE.equals(client.referrersApi())) {
            found = referrersFromApi(subject, artifactType);
        }
        if (found == null) {
            found = new ArrayList<>();
            Optional<ImageIndex> index = fallbackIndex(subject);
            if (index.isPresent()) {
                found.addAll(index.get().manifests());
            }
        }
        List<Descriptor> result = new ArrayList<>();
        for (Descriptor d : found) {
            if (artifactType == null || artifactType.equals(d.artifactType())) {
                result.add(d);
            }
        }
        return result;
    }

    /** The referrers API answer, or null when the registry has no such API (404). */
    private List<Descriptor> referrersFromApi(Digest subject, String artifactType) throws RegistryException {
        URI next = client.uri("/v2/" + path + "/referrers/" + subject
                + (artifactType == null ? "" : "?artifactType=" + RegistryClient.encode(artifactType)));
        List<Descriptor> found = new ArrayList<>();
        for (int page = 0; next != null; page++) {
            if (page == MAX_PAGES) {
                throw new RegistryException(RegistryException.Kind.TOO_LARGE, name + ": more than " + MAX_PAGES + " pages of referrers");
            }
            String what = name + "@" + subject + ": referrers";
            HttpResponse<InputStream> response = client.send("GET", next, pull, Map.of("Accept", MediaTypes.OCI_INDEX), null, true);
            if (page == 0 && response.statusCode() == 404 && !Boolean.TRUE.equals(client.referrersApi())) {
                RegistryClient.discard(response);
                client.referrersApi(false);
                return null;
            }
            client.expect(response, 200, what);
            client.referrersApi(true);
            byte[] raw = client.readBounded(response, Manifest.MAX_BYTES, what);
            found.addAll(asIndex(raw, MediaTypes.OCI_INDEX, what).manifests());
            next = client.nextLink(response, next);
        }
        return found;
    }

    private Optional<ImageIndex> fallbackIndex(Digest subject) throws RegistryException {
        String tag = subject.tagForm();
        String what = name + ":" + tag + " (referrers tag)";
        HttpResponse<InputStream> response = client.send("GET", manifestUri(tag), pull, Map.of("Accept", MediaTypes.OCI_INDEX), null, true);
        if (response.statusCode() == 404) {
            RegistryClient.discard(response);
            return Optional.empty();
        }
        client.expect(response, 200, what);
        byte[] raw = client.readBounded(response, Manifest.MAX_BYTES, what);
        return Optional.of(asIndex(raw, response.headers().firstValue("Content-Type").orElse(MediaTypes.OCI_INDEX), what));
    }

    private static ImageIndex asIndex(byte[] raw, String contentType, String what) throws RegistryException {
        try {
            if (Manifest.parse(raw, contentType) instanceof ImageIndex index) {
                return index;
            }
            throw new RegistryException(RegistryException.Kind.MALFORMED, what + ": expected an image index, got an image manifest");
        } catch (MalformedInputException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Descriptor> cosignArtifact(Digest subject, CosignTag kind) throws RegistryException {
        try {
            return Optional.of(resolve(kind.tagFor(subject)));
        } catch (RegistryException e) {
            if (e.kind() == RegistryException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<String> tags() throws RegistryException {
        List<String> tags = new ArrayList<>();
        URI next = client.uri("/v2/" + path + "/tags/list?n=1000");
        for (int page = 0; next != null; page++) {
            if (page == MAX_PAGES || tags.size() > MAX_TAGS) {
                throw new RegistryException(RegistryException.Kind.TOO_LARGE, name + ": more than " + tags.size() + " tags");
            }
            HttpResponse<InputStream> response = client.send("GET", next, pull, Map.of("Accept", "application/json"), null, true);
            client.expect(response, 200, name + ": tags");
            JsonNode body = RegistryClient.parseJson(client.readBounded(response, 4 * 1024 * 1024, name + ": tags"), "registry tag list", name);
            JsonNode list = body.get("tags");
            if (list != null && !list.isNull()) {
                if (!list.isArray()) {
                    throw new RegistryException(RegistryException.Kind.MALFORMED, name + ": registry tag list at /tags: expected an array");
                }
                for (JsonNode t : list) {
                    if (t.isTextual()) {
                        tags.add(t.textValue());
                    }
                }
            }
            next = client.nextLink(response, next);
        }
        return tags;
    }

    @Override
    public Descriptor putBlob(byte[] content, String mediaType) throws RegistryException {
        Descriptor descriptor = Descriptor.of(mediaType, content);
        String what = name + "@" + descriptor.digest();
        HttpResponse<InputStream> head = client.send("HEAD", blobUri(descriptor.digest()), push, Map.of(), null, true);
        RegistryClient.discard(head);
        if (head.statusCode() == 200) {
            return descriptor;
        }
        HttpResponse<InputStream> start = client.send("POST", client.uri("/v2/" + path + "/blobs/uploads/"), push, Map.of(), new byte[0], false);
        client.expect(start, 202, what + ": starting an upload");
        RegistryClient.discard(start);
        String location = start.headers().firstValue("Location").orElseThrow(() -> new RegistryException(
                RegistryException.Kind.MALFORMED, what + ": upload started without a Location"));
        URI session = client.uri("/").resolve(location);
        if (!session.getAuthority().equals(client.uri("/").getAuthority())) {
            throw new RegistryException(RegistryException.Kind.REJECTED, what + ": upload location on another host");
        }
        URI finish = URI.create(session + (session.getRawQuery() == null ? "?" : "&") + "digest="
                + RegistryClient.encode(descriptor.digest().toString()));
        HttpResponse<InputStream> done = client.send("PUT", finish, push, Map.of("Content-Type", "application/octet-stream"), content, false);
        client.expect(done, 201, what + ": uploading");
        RegistryClient.discard(done);
        return descriptor;
    }

    @Override
    public Descriptor putManifest(Manifest manifest, String tag) throws RegistryException {
        if (tag != null) {
            checkReference(tag);
        }
        HttpResponse<InputStream> response = put(manifest, tag != null ? tag : manifest.digest().toString());
        client.cacheManifest(path, manifest);
        boolean registryTracksSubject = response.headers().firstValue("OCI-Subject").isPresent();
        if (manifest.subject() != null && !registryTracksSubject) {
            addToFallbackIndex(manifest);
        }
        Descriptor descriptor = manifest.descriptor();
        return manifest.artifactType() == null ? descriptor : descriptor.withArtifactType(manifest.artifactType());
    }

    private HttpResponse<InputStream> put(Manifest manifest, String reference) throws RegistryException {
        String what = name + ":" + reference;
        HttpResponse<InputStream> response = client.send("PUT", manifestUri(reference), push,
                Map.of("Content-Type", manifest.mediaType()), manifest.raw(), true);
        client.expect(response, 201, what + ": pushing manifest");
        RegistryClient.discard(response);
        Optional<String> stored = response.headers().firstValue("Docker-Content-Digest");
        if (stored.isPresent() && !stored.get().equals(manifest.digest().toString())) {
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, what + ": the registry stored "
                    + stored.get() + " instead of " + manifest.digest());
        }
        return response;
    }

    /** Adds a referrer to its subject's {@code sha256-<hex>} tag index, as the spec asks of clients when there is no referrers API. */
    private void addToFallbackIndex(Manifest referrer) throws RegistryException {
        Digest subject = referrer.subject().digest();
        Optional<ImageIndex> existing = fallbackIndex(subject);
        List<Descriptor> entries = new ArrayList<>();
        if (existing.isPresent()) {
            for (Descriptor d : existing.get().manifests()) {
                if (d.digest().equals(referrer.digest())) {
                    return;
                }
                entries.add(d);
            }
        }
        entries.add(OciLayout.referrerDescriptor(referrer));
        put(ImageIndex.build(entries, null, Map.of()), subject.tagForm());
    }

    @Override
    public void tag(Digest digest, String tag) throws RegistryException {
        checkReference(tag);
        put(manifest(digest), tag);
    }

    @Override
    public String toString() {
        return name;
    }
}
