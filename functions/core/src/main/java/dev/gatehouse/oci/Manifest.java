package dev.gatehouse.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.util.Map;

/**
 * A parsed image manifest or image index. The exact bytes are kept ({@link #raw()}): digests and
 * signatures are over those bytes, never over a re-serialisation.
 */
public sealed interface Manifest permits ImageManifest, ImageIndex {

    /** Upper bound for one manifest or index, as distribution enforces on push (4 MiB). */
    int MAX_BYTES = 4 * 1024 * 1024;

    Digest digest();

    String mediaType();

    /** The artifactType field, or null. */
    String artifactType();

    /** The subject this manifest refers to (OCI 1.1 referrers), or null. */
    Descriptor subject();

    Map<String, String> annotations();

    /** A copy of the exact bytes this manifest was parsed from. */
    byte[] raw();

    int size();

    /** A descriptor for this manifest, as an index or a referrers list would carry it. */
    default Descriptor descriptor() {
        return new Descriptor(mediaType(), digest(), size(), Map.of(), null, null);
    }

    /**
     * Parses manifest bytes that hash to {@code digest} (the caller checked that). The media type
     * comes from the document's {@code mediaType} field, or from {@code contentType} (the HTTP
     * header or the descriptor that pointed here) when the document has none; when both are known
     * manifest types they must agree.
     */
    static Manifest parse(byte[] raw, String contentType, Digest digest) throws MalformedInputException {
        String format = "OCI manifest";
        if (raw.length > MAX_BYTES) {
            throw new MalformedInputException(format, "", "manifest of " + raw.length
                    + " bytes exceeds the limit of " + MAX_BYTES + " bytes");
        }
        JsonNode root = UntrustedJson.parseObject(raw, format);
        String declared = OciJson.mediaType(root, "mediaType", false, format, "");
        String header = MediaTypes.essence(contentType);
        JsonNode schemaVersion = root.get("schemaVersion");
        if (MediaTypes.DOCKER_MANIFEST_V1_SIGNED.equals(header) || MediaTypes.DOCKER_MANIFEST_V1_SIGNED.equals(declared)
                || (schemaVersion != null && schemaVersion.isInt() && schemaVersion.intValue() == 1)) {
            throw new MalformedInputException(format, "/schemaVersion", "Docker schema 1 manifests are not supported");
        }
        if (schemaVersion == null || !schemaVersion.isInt() || schemaVersion.intValue() != 2) {
            throw new MalformedInputException(format, "/schemaVersion", "expected schemaVersion 2");
        }
        String mediaType;
        if (declared != null) {
            if (MediaTypes.isManifestOrIndex(header) && !header.equals(declared)) {
                throw new MalformedInputException(format, "/mediaType", "document says '" + declared
                        + "' but it was served as '" + header + "'");
            }
            mediaType = declared;
        } else if (MediaTypes.isManifestOrIndex(header)) {
            mediaType = header;
        } else if (root.has("manifests") && !root.has("layers")) {
            mediaType = MediaTypes.OCI_INDEX;
        } else if (root.has("layers") && !root.has("manifests")) {
            mediaType = MediaTypes.OCI_MANIFEST;
        } else {
            throw new MalformedInputException(format, "/mediaType", "no media type and the content is neither a manifest nor an index");
        }
        if (MediaTypes.isIndex(mediaType)) {
            return ImageIndex.fromJson(root, raw, mediaType, digest);
        }
        if (MediaTypes.isImageManifest(mediaType)) {
            return ImageManifest.fromJson(root, raw, mediaType, digest);
        }
        throw new MalformedInputException(format, "/mediaType", "unsupported manifest media type '"
                + OciJson.abbreviate(mediaType) + "'");
    }

    /** Parses bytes and computes their sha256 digest. */
    static Manifest parse(byte[] raw, String contentType) throws MalformedInputException {
        return parse(raw, contentType, Digest.sha256(raw));
    }
}
