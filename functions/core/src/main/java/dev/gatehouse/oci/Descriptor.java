package dev.gatehouse.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.util.Map;

/**
 * An OCI content descriptor: what a manifest, index or referrers list says about one piece of
 * content. {@code platform} and {@code artifactType} are null when absent; annotations are never
 * null.
 */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
                         Platform platform, String artifactType) {

    /** The annotation that names a manifest inside an OCI layout's index.json. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    public Descriptor {
        if (mediaType == null || digest == null) {
            throw new IllegalArgumentException("a descriptor needs a media type and a digest");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative descriptor size");
        }
        annotations = OciJson.copy(annotations);
    }

    public static Descriptor of(String mediaType, byte[] content) {
        return new Descriptor(mediaType, Digest.sha256(content), content.length, Map.of(), null, null);
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, newAnnotations, platform, artifactType);
    }

    public Descriptor withPlatform(Platform newPlatform) {
        return new Descriptor(mediaType, digest, size, annotations, newPlatform, artifactType);
    }

    public Descriptor withArtifactType(String newArtifactType) {
        return new Descriptor(mediaType, digest, size, annotations, platform, newArtifactType);
    }

    /** The value of an annotation, or null. */
    public String annotation(String key) {
        return annotations.get(key);
    }

    /** Parses a descriptor object; {@code pointer} is its JSON pointer, used in error messages. */
    public static Descriptor fromJson(JsonNode node, String format, String pointer) throws MalformedInputException {
        if (node == null || !node.isObject()) {
            throw new MalformedInputException(format, pointer, "expected a descriptor object");
        }
        String mediaType = OciJson.mediaType(node, "mediaType", true, format, pointer);
        String digestText = OciJson.requiredString(node, "digest", format, pointer);
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(format, pointer + "/digest", e.getMessage());
        }
        JsonNode size = node.get("size");
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
            throw new MalformedInputException(format, pointer + "/size", "expected a non-negative integer size");
        }
        Platform platform = null;
        JsonNode p = node.get("platform");
        if (p != null && !p.isNull()) {
            if (!p.isObject()) {
                throw new MalformedInputException(format, pointer + "/platform", "expected an object");
            }
            String os = OciJson.requiredString(p, "os", format, pointer + "/platform");
            String arch = OciJson.requiredString(p, "architecture", format, pointer + "/platform");
            if (os.isEmpty() || arch.isEmpty()) {
                throw new MalformedInputException(format, pointer + "/platform", "empty os or architecture");
            }
            platform = new Platform(os, arch, OciJson.optionalString(p, "variant", format, pointer + "/platform"),
                    OciJson.optionalString(p, "os.version", format, pointer + "/platform"));
        }
        return new Descriptor(mediaType, digest, size.longValue(), OciJson.annotations(node, format, pointer),
                platform, OciJson.mediaType(node, "artifactType", false, format, pointer));
    }

    public ObjectNode toJson() {
        ObjectNode node = UntrustedJson.mapper().createObjectNode();
        node.put("mediaType", mediaType);
        node.put("digest", digest.toString());
        node.put("size", size);
        if (artifactType != null) {
            node.put("artifactType", artifactType);
        }
        if (platform != null) {
            ObjectNode p = node.putObject("platform");
            p.put("architecture", platform.architecture());
            p.put("os", platform.os());
            if (platform.osVersion() != null) {
                p.put("os.version", platform.osVersion());
            }
            if (platform.variant() != null) {
                p.put("variant", platform.variant());
            }
        }
        OciJson.putAnnotations(node, annotations);
        return node;
    }
}
