package dev.gatehouse.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI image index or Docker manifest list: a multi-platform image, a referrers list, or an OCI
 * layout's index.json.
 */
public record ImageIndex(Digest digest, String mediaType, String artifactType, List<Descriptor> manifests,
                         Descriptor subject, Map<String, String> annotations, byte[] raw) implements Manifest {

    /** Upper bound on entries, so a hostile index cannot make us do unbounded work. */
    public static final int MAX_ENTRIES = 10_000;

    public ImageIndex {
        manifests = List.copyOf(manifests);
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
     * The entry for a platform: the first image manifest whose platform satisfies {@code wanted}.
     * Attestation entries that BuildKit puts into indexes (platform unknown/unknown) never match.
     */
    public Optional<Descriptor> manifestFor(Platform wanted) {
        return manifests.stream()
                .filter(d -> d.platform() != null && d.platform().satisfies(wanted))
                .filter(d -> MediaTypes.isImageManifest(d.mediaType()))
                .findFirst();
    }

    public static ImageIndex build(List<Descriptor> manifests, Descriptor subject, Map<String, String> annotations) {
        return build(MediaTypes.OCI_INDEX, null, manifests, subject, annotations);
    }

    public static ImageIndex build(String mediaType, String artifactType, List<Descriptor> manifests,
                                   Descriptor subject, Map<String, String> annotations) {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", mediaType);
        if (artifactType != null) {
            root.put("artifactType", artifactType);
        }
        ArrayNode array = root.putArray("manifests");
        manifests.forEach(m -> array.add(m.toJson()));
        if (subject != null) {
            root.set("subject", subject.toJson());
        }
        Map<String, String> ann = annotations == null ? Map.of() : annotations;
        OciJson.putAnnotations(root, ann);
        byte[] raw = ImageManifest.serialise(root);
        return new ImageIndex(Digest.sha256(raw), mediaType, artifactType, manifests, subject, ann, raw);
    }

    static ImageIndex fromJson(JsonNode root, byte[] raw, String mediaType, Digest digest) throws MalformedInputException {
        String format = "OCI image index";
        JsonNode list = root.get("manifests");
        if (list == null || !list.isArray()) {
            throw new MalformedInputException(format, "/manifests", "expected an array of descriptors");
        }
        if (list.size() > MAX_ENTRIES) {
            throw new MalformedInputException(format, "/manifests", list.size() + " entries exceed the limit of " + MAX_ENTRIES);
        }
        List<Descriptor> manifests = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            manifests.add(Descriptor.fromJson(list.get(i), format, "/manifests/" + i));
        }
        JsonNode subjectNode = root.get("subject");
        Descriptor subject = subjectNode == null || subjectNode.isNull() ? null
                : Descriptor.fromJson(subjectNode, format, "/subject");
        return new ImageIndex(digest, mediaType, OciJson.mediaType(root, "artifactType", false, format, ""),
                manifests, subject, OciJson.annotations(root, format, ""), raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageIndex m && digest.equals(m.digest) && Arrays.equals(raw, m.raw);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "ImageIndex[" + mediaType + " " + digest + ", " + manifests.size() + " entries]";
    }
}
