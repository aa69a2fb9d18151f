package dev.gatehouse.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.ports.ImageGraph;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base images a verified image was built on, read from its policy input (docs/policy-input.md)
 * and only from evidence that verified: the resolved dependencies of verified SLSA provenance, and
 * the {@code org.opencontainers.image.base.name}/{@code .digest} manifest annotations and config
 * labels when a trusted signature covers the image digest (the manifest and config are part of
 * what that signature names). A base without a digest is not recorded: the graph names digests.
 */
public final class BaseImageEvidence {

    public static final String BASE_NAME = "org.opencontainers.image.base.name";
    public static final String BASE_DIGEST = "org.opencontainers.image.base.digest";
    static final int MAX_DEPENDENCIES = 256;

    /** One base with where it was read from: {@code provenance}, {@code annotation} or {@code label}. */
    public record Base(ImageGraph.BaseRef ref, String source) {}

    /** The bases found, and the evidence that named a base but could not be used, with why. */
    public record Found(List<Base> bases, List<String> ignored) {
        public Found {
            bases = List.copyOf(bases);
            ignored = List.copyOf(ignored);
        }
    }

    private BaseImageEvidence() {}

    public static Found of(JsonNode input) {
        Map<String, Base> bases = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        JsonNode provenance = input.path("provenance");
        if (provenance.isObject()) {
            int seen = 0;
            for (JsonNode dependency : provenance.path("resolved_dependencies")) {
                if (++seen > MAX_DEPENDENCIES) {
                    ignored.add("provenance lists more than " + MAX_DEPENDENCIES + " resolved dependencies; the rest were not read");
                    break;
                }
                String uri = dependency.path("uri").asText("");
                String name = imageName(uri);
                if (name == null) {
                    continue;
                }
                String sha256 = dependency.path("digest").path("sha256").asText("");
                add(bases, ignored, name, sha256.isEmpty() ? "" : "sha256:" + sha256, "provenance", uri);
            }
        }
        JsonNode image = input.path("image");
        if (input.path("signatures").size() > 0) {
            JsonNode annotations = image.path("annotations");
            if (annotations.has(BASE_NAME)) {
                add(bases, ignored, annotations.path(BASE_NAME).asText(""), annotations.path(BASE_DIGEST).asText(""), "annotation", BASE_NAME);
            }
            JsonNode labels = image.path("config").path("labels");
            if (labels.has(BASE_NAME)) {
                add(bases, ignored, labels.path(BASE_NAME).asText(""), labels.path(BASE_DIGEST).asText(""), "label", BASE_NAME);
            }
        } else if (image.path("annotations").has(BASE_NAME) || image.path("config").path("labels").has(BASE_NAME)) {
            ignored.add("base annotations and labels are not counted: no trusted signature covers the image");
        }
        return new Found(new ArrayList<>(bases.values()), ignored);
    }

    private static void add(Map<String, Base> bases, List<String> ignored, String name, String digest, String source, String where) {
        ImageReference reference;
        try {
            reference = ImageReference.parse(name);
        } catch (IllegalArgumentException e) {
            ignored.add(source + " " + abbreviate(where) + ": base '" + abbreviate(name) + "' is not an image reference: " + e.getMessage());
            return;
        }
        if (reference.isLayout()) {
            return;
        }
        Digest pinned;
        try {
            pinned = reference.digest() != null && digest.isEmpty() ? reference.digest() : Digest.parse(digest);
        } catch (IllegalArgumentException e) {
            ignored.add(source + " " + abbreviate(where) + ": base '" + abbreviate(name) + "' has no usable digest");
            return;
        }
        if (reference.digest() != null && !reference.digest().equals(pinned)) {
            ignored.add(source + " " + abbreviate(where) + ": base '" + abbreviate(name) + "' names two different digests");
            return;
        }
        ImageGraph.BaseRef ref;
        try {
            ref = new ImageGraph.BaseRef(reference.repositoryName(), reference.tag(), pinned);
        } catch (IllegalArgumentException e) {
            ignored.add(source + " " + abbreviate(where) + ": " + e.getMessage());
            return;
        }
        String key = ref.repository() + "@" + ref.digest();
        Base existing = bases.get(key);
        if (existing == null || existing.ref().tag() == null && ref.tag() != null) {
            bases.put(key, new Base(ref, source));
        }
    }

    /**
     * The image a resolved-dependency URI names, or null when it names something else (a git
     * repository, a file): {@code oci://} and {@code docker://} references, and
     * {@code pkg:docker/} and {@code pkg:oci/} package URLs as BuildKit and others write them.
     */
    static String imageName(String uri) {
        if (uri.startsWith("oci://") || uri.startsWith("docker://")) {
            return uri.substring(uri.indexOf("://") + 3);
        }
        boolean docker = uri.startsWith("pkg:docker/");
        if (!docker && !uri.startsWith("pkg:oci/")) {
            return null;
        }
        String rest = uri.substring(docker ? "pkg:docker/".length() : "pkg:oci/".length());
        Map<String, String> qualifiers = new LinkedHashMap<>();
        int question = rest.indexOf('?');
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    qualifiers.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            rest = rest.substring(0, question);
        }
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        String version = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            version = URLDecoder.decode(rest.substring(at + 1), StandardCharsets.UTF_8);
            rest = rest.substring(0, at);
        }
        String path = URLDecoder.decode(rest, StandardCharsets.UTF_8);
        String repositoryUrl = qualifiers.get("repository_url");
        String name;
        if (docker) {
            name = repositoryUrl == null ? path : repositoryUrl + "/" + path;
        } else {
            name = repositoryUrl == null ? path : repositoryUrl;
        }
        String tag = docker ? (version != null && !version.startsWith("sha256:") ? version : null) : qualifiers.get("tag");
        return name + (tag == null ? "" : ":" + tag);
    }

    private static String abbreviate(String value) {
        return value.length() <= 120 ? value : value.substring(0, 117) + "...";
    }
}
