package dev.gatehouse.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/<alg>/<hex>})
 * as an {@link OciRepository}, so verification works offline on what {@code skopeo copy},
 * {@code umoci}, {@code cosign save} or {@code oras} wrote.
 *
 * <p>Tags are the {@code org.opencontainers.image.ref.name} annotations of index.json entries (and
 * of nested indexes). cosign artifacts are found by their tag ({@code sha256-<hex>.sig}) or by the
 * {@code kind} annotations {@code cosign save} writes; referrers by reading every manifest the
 * layout holds and keeping those whose subject matches.
 */
public final class OciLayout implements OciRepository {

    private static final String LAYOUT_FILE = "oci-layout";
    private static final String INDEX_FILE = "index.json";
    private static final int MAX_NESTING = 8;
    private static final int MAX_REACHABLE = 10_000;
    private static final String COSIGN_KIND = "kind";
    private static final Set<String> COSIGN_SUBJECT_KINDS = Set.of("dev.cosignproject.cosign/image", "dev.cosignproject.cosign/imageIndex");
    private static final Pattern ATTACHED_TAG = Pattern.compile("sha(256|512)-[a-f0-9]+(\\.(sig|att|sbom))?");

    private final Path root;
    private final String name;
    private final Map<Digest, Manifest> manifests = new ConcurrentHashMap<>();

    private OciLayout(Path root) {
        this.root = root;
        this.name = ImageReference.LAYOUT_PREFIX + root;
    }

    /** Opens an existing layout; fails with NOT_FOUND when the directory is no OCI layout. */
    public static OciLayout open(Path directory) throws RegistryException {
        String name = ImageReference.LAYOUT_PREFIX + directory;
        Path marker = directory.resolve(LAYOUT_FILE);
        if (!Files.isRegularFile(marker) || !Files.isRegularFile(directory.resolve(INDEX_FILE))) {
            throw new RegistryException(RegistryException.Kind.NOT_FOUND,
                    name + ": not an OCI image layout (no " + LAYOUT_FILE + " and " + INDEX_FILE + ")");
        }
        try {
            JsonNode layout = UntrustedJson.parseObject(readBounded(marker, 64 * 1024, name), "OCI layout file " + marker);
            JsonNode version = layout.get("imageLayoutVersion");
            if (version == null || !version.isTextual() || !version.textValue().startsWith("1.")) {
                throw new RegistryException(RegistryException.Kind.MALFORMED,
                        name + ": " + LAYOUT_FILE + " has no supported imageLayoutVersion (expected 1.x)");
            }
        } catch (MalformedInputException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, e.getMessage(), e);
        }
        return new OciLayout(directory);
    }

    /** Opens the layout at {@code directory}, creating an empty one if there is nothing there. */
    public static OciLayout openOrCreate(Path directory) throws RegistryException {
        if (!Files.exists(directory.resolve(LAYOUT_FILE))) {
            try {
                Files.createDirectories(directory.resolve("blobs").resolve("sha256"));
                Files.writeString(directory.resolve(LAYOUT_FILE), "{\"imageLayoutVersion\":\"1.0.0\"}");
                Files.write(directory.resolve(INDEX_FILE), ImageIndex.build(List.of(), null, Map.of()).raw());
            } catch (IOException e) {
                throw new RegistryException(RegistryException.Kind.UNAVAILABLE,
                        ImageReference.LAYOUT_PREFIX + directory + ": cannot create layout: " + e.getMessage(), e);
            }
        }
        return open(directory);
    }

    public Path directory() {
        return root;
    }

    @Override
    public String name() {
        return name;
    }

    /** The layout's index.json, parsed. */
    public ImageIndex index() throws RegistryException {
        byte[] raw = readBounded(root.resolve(INDEX_FILE), Manifest.MAX_BYTES, name);
        try {
            Manifest parsed = Manifest.parse(raw, MediaTypes.OCI_INDEX);
            if (parsed instanceof ImageIndex index) {
                return index;
            }
            throw new RegistryException(RegistryException.Kind.MALFORMED, name + ": index.json is not an image index");
        } catch (MalformedInputException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, name + ": index.json: " + e.getMessage(), e);
        }
    }

    @Override
    public Descriptor resolve(String tagOrDigest) throws RegistryException {
        ImageIndex index = index();
        if (tagOrDigest == null) {
            return onlyImage(index);
        }
        if (Digest.isDigest(tagOrDigest)) {
            Digest digest = Digest.parse(tagOrDigest);
            for (Descriptor d : reachable(index)) {
                if (d.digest().equals(digest)) {
                    return d;
                }
            }
            if (Files.isRegularFile(blobPath(digest))) {
                return manifest(digest).descriptor();
            }
            throw new RegistryException(RegistryException.Kind.NOT_FOUND, name + ": no manifest " + digest);
        }
        for (Descriptor d : index.manifests()) {
            if (namesTag(d, tagOrDigest)) {
                return d;
            }
        }
        for (Descriptor d : reachable(index)) {
            if (namesTag(d, tagOrDigest)) {
                return d;
            }
        }
        throw new RegistryException(RegistryException.Kind.NOT_FOUND, name + ": no tag '" + tagOrDigest + "' (tags: "
                + String.join(", ", tags()) + ")");
    }

    private Descriptor onlyImage(ImageIndex index) throws RegistryException {
        List<Descriptor> images = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            String kind = d.annotation(COSIGN_KIND);
            String ref = d.annotation(Descriptor.REF_NAME);
            boolean attached = (kind != null && kind.startsWith("dev.cosignproject.cosign/") && !isCosignSubject(d))
                    || (ref != null && (ATTACHED_TAG.matcher(ref).matches()
                            || (tagOfFullReference(ref) != null && ATTACHED_TAG.matcher(tagOfFullReference(ref)).matches())));
            if (!attached) {
                images.add(d);
            }
        }
        if (images.size() > 1) {
            List<Descriptor> subjectless = new ArrayList<>();
            for (Descriptor d : images) {
                if (!MediaTypes.isManifestOrIndex(d.mediaType()) || manifest(d).subject() == null) {
                    subjectless.add(d);
                }
            }
            images = subjectless;
        }
        if (images.size() == 1) {
            return images.get(0);
        }
        if (images.isEmpty()) {
            throw new RegistryException(RegistryException.Kind.NOT_FOUND, name + ": the layout holds no image");
        }
        throw new RegistryException(RegistryException.Kind.REJECTED, name + ": the layout holds " + images.size()
                + " images; name one as oci:DIR:TAG or oci:DIR@DIGEST (tags: " + String.join(", ", tags()) + ")");
    }

    private static boolean isCosignSubject(Descriptor d) {
        String kind = d.annotation(COSIGN_KIND);
        return kind != null && COSIGN_SUBJECT_KINDS.contains(kind);
    }

    private static boolean namesTag(Descriptor d, String tag) {
        String ref = d.annotation(Descriptor.REF_NAME);
        return ref != null && (ref.equals(tag) || tag.equals(tagOfFullReference(ref)));
    }

    /** The tag of a ref.name written as a full reference ({@code host/repo:tag}), as some tools do; else null. */
    private static String tagOfFullReference(String ref) {
        int colon = ref.lastIndexOf(':');
        int slash = ref.lastIndexOf('/');
        return slash >= 0 && colon > slash ? ref.substring(colon + 1) : null;
    }

    /** Every descriptor reachable from index.json through nested indexes, breadth first, each once. */
    private List<Descriptor> reachable(ImageIndex index) throws RegistryException {
        Map<Digest, Descriptor> seen = new LinkedHashMap<>();
        Deque<Map.Entry<Descriptor, Integer>> queue = new ArrayDeque<>();
        index.manifests().forEach(d -> queue.add(Map.entry(d, 0)));
        while (!queue.isEmpty()) {
            Map.Entry<Descriptor, Integer> next = queue.poll();
            Descriptor d = next.getKey();
            if (seen.putIfAbsent(d.digest(), d) != null) {
                continue;
            }
            if (seen.size() > MAX_REACHABLE) {
                throw new RegistryException(RegistryException.Kind.TOO_LARGE, name + ": more than " + MAX_REACHABLE + " manifests");
            }
            if (MediaTypes.isIndex(d.mediaType()) && Files.isRegularFile(blobPath(d.digest()))) {
                if (next.getValue() >= MAX_NESTING) {
                    throw new RegistryException(RegistryException.Kind.MALFORMED, name + ": indexes nested deeper than " + MAX_NESTING);
                }
                if (manifest(d) instanceof ImageIndex nested) {
                    nested.manifests().forEach(child -> queue.add(Map.entry(child, next.getValue() + 1)));
                }
            }
        }
        return new ArrayList<>(seen.values());
    }

    @Override
    public Manifest manifest(Digest digest) throws RegistryException {
        Manifest cached = manifests.get(digest);
        if (cached != null) {
            return cached;
        }
        return load(digest, null);
    }

    @Override
    public Manifest manifest(Descriptor descriptor) throws RegistryException {
        if (descriptor.size() > Manifest.MAX_BYTES) {
            throw new RegistryException(RegistryException.Kind.TOO_LARGE, name + ": manifest " + descriptor.digest()
                    + " of " + descriptor.size() + " bytes exceeds the limit of " + Manifest.MAX_BYTES + " bytes");
        }
        Manifest m = manifests.get(descriptor.digest());
        if (m == null) {
            m = load(descriptor.digest(), descriptor.mediaType());
        }
        if (m.size() != descriptor.size()) {
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, name + ": manifest " + descriptor.digest()
                    + " has " + m.size() + " bytes but its descriptor says " + descriptor.size());
        }
        return m;
    }

    private Manifest load(Digest digest, String mediaType) throws RegistryException {
        byte[] raw = blob(digest, Manifest.MAX_BYTES);
        try {
            Manifest m = Manifest.parse(raw, mediaType, digest);
            manifests.put(digest, m);
            return m;
        } catch (MalformedInputException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, name + ": manifest " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream openBlob(Digest digest, long maxBytes) throws RegistryException {
        Path path = blobPath(digest);
        try {
            long size = Files.size(path);
            if (size > maxBytes) {
                throw new RegistryException(RegistryException.Kind.TOO_LARGE, name + ": blob " + digest + " of " + size
                        + " bytes exceeds the limit of " + maxBytes + " bytes");
            }
            return new VerifyingInputStream(Files.newInputStream(path), digest, maxBytes, name + ": blob " + digest);
        } catch (NoSuchFileException e) {
            throw new RegistryException(RegistryException.Kind.NOT_FOUND, name + ": no blob " + digest);
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, name + ": cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] blob(Digest digest, int maxBytes) throws RegistryException {
        try (InputStream in = openBlob(digest, maxBytes)) {
            return in.readAllBytes();
        } catch (BlobIntegrityException e) {
            throw e.reason();
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, name + ": cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Descriptor> referrers(Digest subject, String artifactType) throws RegistryException {
        ImageIndex index = index();
        Map<Digest, Descriptor> found = new LinkedHashMap<>();
        for (Descriptor d : reachable(index)) {
            if (!MediaTypes.isManifestOrIndex(d.mediaType()) || !Files.isRegularFile(blobPath(d.digest()))) {
                continue;
            }
            Manifest m = manifest(d);
            if (m.subject() != null && m.subject().digest().equals(subject)) {
                found.putIfAbsent(m.digest(), referrerDescriptor(m));
            }
        }
        for (Descriptor d : index.manifests()) {
            if (namesTag(d, subject.tagForm()) && MediaTypes.isIndex(d.mediaType())
                    && manifest(d) instanceof ImageIndex fallback) {
                fallback.manifests().forEach(r -> found.putIfAbsent(r.digest(), r));
            }
        }
        List<Descriptor> result = new ArrayList<>();
        for (Descriptor d : found.values()) {
            if (artifactType == null || artifactType.equals(d.artifactType())) {
                result.add(d);
            }
        }
        return result;
    }

    /** The descriptor the referrers API would list for a manifest: with its artifact type and annotations. */
    static Descriptor referrerDescriptor(Manifest m) {
        String type = m instanceof ImageManifest im ? im.effectiveArtifactType() : m.artifactType();
        return new Descriptor(m.mediaType(), m.digest(), m.size(), m.annotations(), null, type);
    }

    @Override
    public Optional<Descriptor> cosignArtifact(Digest subject, CosignTag kind) throws RegistryException {
        ImageIndex index = index();
        String tag = kind.tagFor(subject);
        for (Descriptor d : index.manifests()) {
            if (namesTag(d, tag)) {
                return Optional.of(d);
            }
        }
        boolean subjectSaved = index.manifests().stream().anyMatch(d ->
                d.digest().equals(subject) && isCosignSubject(d));
        if (subjectSaved) {
            for (Descriptor d : index.manifests()) {
                if (kind.layoutKind().equals(d.annotation(COSIGN_KIND))) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public List<String> tags() throws RegistryException {
        Set<String> tags = new LinkedHashSet<>();
        for (Descriptor d : index().manifests()) {
            String ref = d.annotation(Descriptor.REF_NAME);
            if (ref != null) {
                tags.add(ref);
            }
        }
        return new ArrayList<>(tags);
    }

    @Override
    public Descriptor putBlob(byte[] content, String mediaType) throws RegistryException {
        Descriptor descriptor = Descriptor.of(mediaType, content);
        Path path = blobPath(descriptor.digest());
        if (!Files.isRegularFile(path)) {
            writeAtomically(path, content);
        }
        return descriptor;
    }

    @Override
    public synchronized Descriptor putManifest(Manifest manifest, String tag) throws RegistryException {
        putBlob(manifest.raw(), manifest.mediaType());
        manifests.put(manifest.digest(), manifest);
        Descriptor descriptor = manifest.descriptor();
        if (manifest.artifactType() != null) {
            descriptor = descriptor.withArtifactType(manifest.artifactType());
        }
        // Untagged manifests are usually children of an index pushed next; only referrers must be
        // listed in index.json to stay discoverable.
        if (tag != null || manifest.subject() != null) {
            addToIndex(descriptor, tag);
        }
        return descriptor;
    }

    @Override
    public synchronized void tag(Digest digest, String tag) throws RegistryException {
        addToIndex(manifest(digest).descriptor(), tag);
    }

    private void addToIndex(Descriptor descriptor, String tag) throws RegistryException {
        if (tag != null) {
            ImageReference.layout(root, tag);
        }
        ImageIndex index = index();
        List<Descriptor> entries = new ArrayList<>();
        boolean present = false;
        for (Descriptor d : index.manifests()) {
            String ref = d.annotation(Descriptor.REF_NAME);
            if (tag != null && tag.equals(ref)) {
                continue;
            }
            present |= tag == null && d.digest().equals(descriptor.digest());
            entries.add(d);
        }
        if (present) {
            return;
        }
        if (tag != null) {
            Map<String, String> annotations = new HashMap<>(descriptor.annotations());
            annotations.put(Descriptor.REF_NAME, tag);
            descriptor = descriptor.withAnnotations(annotations);
        }
        entries.add(descriptor);
        writeAtomically(root.resolve(INDEX_FILE), ImageIndex.build(entries, null, index.annotations()).raw());
    }

    private Path blobPath(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    private void writeAtomically(Path target, byte[] content) throws RegistryException {
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".tmp-", "");
            try {
                Files.write(temp, content);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, name + ": cannot write " + root.relativize(target)
                    + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readBounded(Path path, int maxBytes, String name) throws RegistryException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] content = in.readNBytes(maxBytes + 1);
            if (content.length > maxBytes) {
                throw new RegistryException(RegistryException.Kind.TOO_LARGE, name + ": " + path.getFileName()
                        + " exceeds the limit of " + maxBytes + " bytes");
            }
            return content;
        } catch (NoSuchFileException e) {
            throw new RegistryException(RegistryException.Kind.NOT_FOUND, name + ": missing " + path.getFileName());
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, name + ": cannot read " + path.getFileName()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
