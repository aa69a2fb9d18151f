package dev.gatehouse.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.io.UstarHeader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Writes one image of a repository, by digest, as an OCI image-layout archive (the tar that
 * {@code skopeo copy ... oci-archive:} and {@code buildah push ... oci-archive:} write): what SBOM
 * generators such as {@code cdxgen -t docker} read. Every blob is streamed through
 * {@link OciRepository#openBlob}, so it is checked against its digest and its announced size; the
 * archive never holds more than {@code maxBytes} of blobs.
 */
public final class OciArchiveWriter {

    private OciArchiveWriter() {}

    /** Writes the image manifest {@code image} (an image manifest, not an index) of {@code repository} to {@code archive}. */
    public static void write(OciRepository repository, Descriptor image, Path archive, long maxBytes) throws RegistryException, IOException {
        Manifest manifest = repository.manifest(image);
        if (!(manifest instanceof ImageManifest m)) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, repository.name() + "@" + image.digest()
                    + " is an index; archive one platform's image manifest");
        }
        Set<Descriptor> blobs = new LinkedHashSet<>();
        blobs.add(m.config());
        blobs.addAll(m.layers());
        long total = 0;
        for (Descriptor blob : blobs) {
            total += blob.size();
        }
        if (total > maxBytes) {
            throw new RegistryException(RegistryException.Kind.TOO_LARGE, repository.name() + "@" + image.digest() + " has "
                    + total + " bytes of blobs, more than the " + maxBytes + " an archive may hold");
        }
        ObjectNode index = UntrustedJson.mapper().createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.putArray("manifests").add(new Descriptor(image.mediaType(), image.digest(), image.size(), null, null, null).toJson());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 16)) {
            entry(out, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            entry(out, "index.json", json(index));
            out.write(UstarHeader.of("blobs/", 0, UstarHeader.DIRECTORY, 0755));
            out.write(UstarHeader.of("blobs/sha256/", 0, UstarHeader.DIRECTORY, 0755));
            entry(out, blobPath(image.digest()), m.raw());
            for (Descriptor blob : blobs) {
                try (InputStream in = repository.openBlob(blob.digest(), blob.size())) {
                    out.write(UstarHeader.of(blobPath(blob.digest()), blob.size(), UstarHeader.REGULAR_FILE, 0644));
                    long copied = in.transferTo(out);
                    if (copied != blob.size()) {
                        throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, repository.name() + " blob " + blob.digest()
                                + " has " + copied + " bytes, its descriptor says " + blob.size());
                    }
                    out.write(UstarHeader.padding(copied));
                }
            }
            out.write(new byte[1024]);
        }
    }

    private static String blobPath(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }

    private static void entry(OutputStream out, String name, byte[] content) throws IOException {
        out.write(UstarHeader.of(name, content.length, UstarHeader.REGULAR_FILE, 0644));
        out.write(content);
        out.write(UstarHeader.padding(content.length));
    }

    private static byte[] json(ObjectNode node) {
        try {
            return UntrustedJson.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise index.json", e);
        }
    }
}
