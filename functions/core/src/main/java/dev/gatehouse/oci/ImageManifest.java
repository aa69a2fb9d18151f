package dev.gatehouse.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** An OCI image manifest or Docker v2 schema 2 manifest; also the shape of cosign signatures and attestations. */
public record ImageManifest(Digest digest, String mediaType, String artifactType, Descriptor config,
                            List<Descriptor> layers, Descriptor subject, Map<String, String> annotations,
                            byte[] raw) implements Manifest {

    public ImageManifest {
        layers = List.copyOf(layers);
        annotations = OciJson.copy(annotations);
        raw = raw.clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    @Override
    public int size() {
        return raw.length;
    }

    /**
     * The artifact type as the referrers API reports it: {@code artifactType} if set, otherwise the
     * config media type.
     */
    public String effectiveArtifactType() {
        return artifactType != null ? artifactType : config.mediaType();
    }

    /** Builds and serialises a new OCI image manifest (the write side: attestations, VSAs, tests). */
    public static ImageManifest build(String artifactType, Descriptor config, List<Descriptor> layers,
                                      Descriptor subject, Map<String, String> annotations) {
        return build(MediaTypes.OCI_MANIFEST, artifactType, config, layers, subject, annotations);
    }

    public static ImageManifest build(String mediaType, String artifactType, Descriptor config, List<Descriptor> layers,
                                      Descriptor subject, Map<String, String> annotations) {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", mediaType);
        if (artifactType != null) {
            root.put("artifactType", artifactType);
        }
        root.set("config", config.toJson());
        ArrayNode array = root.putArray("layers");
        layers.forEach(layer -> array.add(layer.toJson()));
        if (subject != null) {
            root.set("subject", subject.toJson());
        }
        OciJson.putAnnotations(root, annotations == null ? Map.of() : annotations);
        byte[] raw = serialise(root);
        return new ImageManifest(Digest.sha256(raw), mediaType, artifactType, config, layers, subject,
                annotations == null ? Map.of() : annotations, raw);
    }

    static ImageManifest fromJson(JsonNode root, byte[] raw, String mediaType, Digest digest) throws MalformedInputException {
        String format = "OCI image manifest";
        Descriptor config = Descriptor.fromJson(root.get("config"), format, "/config");
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray()) {
            throw new MalformedInputException(format, "/layers", "expected an array of descriptors");
        }
        List<Descriptor> layers = new ArrayList<>(layersNode.size());
        for (int i = 0; i < layersNode.size(); i++) {
            layers.add(Descriptor.fromJson(layersNode.get(i), format, "/layers/" + i));
        }
        JsonNode subjectNode = root.get("subject");
        Descriptor subject = subjectNode == null || subjectNode.isNull() ? null
                : Descriptor.fromJson(subjectNode, format, "/subject");
        return new ImageManifest(digest, mediaType, OciJson.mediaType(root, "artifactType", false, format, ""),
                config, layers, subject, OciJson.annotations(root, format, ""), raw);
    }

    static byte[] serialise(JsonNode root) {
        try {
            return UntrustedJson.mapper().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageManifest m && digest.equals(m.digest) && Arrays.equals(raw, m.raw);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "ImageManifest[" + mediaType + " " + digest + "]";
    }
}
