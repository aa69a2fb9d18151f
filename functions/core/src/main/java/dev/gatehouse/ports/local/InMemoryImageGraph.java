package dev.gatehouse.ports.local;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.StoredKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The image graph in process memory, indexed by base tag and by base digest. */
public final class InMemoryImageGraph implements ImageGraph {

    private final Map<String, NavigableMap<String, Edge>> byBase = new ConcurrentHashMap<>();

    @Override
    public void record(Edge edge) {
        NavigableMap<String, Edge> edges = byBase.computeIfAbsent(edge.base().repository(), r -> new ConcurrentSkipListMap<>());
        if (edge.base().tag() != null) {
            edges.put(tagOrder(edge.base().tag(), edge.base().digest(), edge.image()), edge);
        }
        edges.put(digestOrder(edge.base().digest(), edge.image()), edge);
    }

    @Override
    public List<Edge> dependents(String baseRepository, String baseTag) {
        StoredKeys.repository(baseRepository);
        return withPrefix(baseRepository, "T#" + StoredKeys.tag(baseTag) + "#");
    }

    @Override
    public List<Edge> dependentsOfDigest(String baseRepository, Digest baseDigest) {
        StoredKeys.repository(baseRepository);
        return withPrefix(baseRepository, "D#" + baseDigest + "#");
    }

    private List<Edge> withPrefix(String repository, String prefix) {
        NavigableMap<String, Edge> edges = byBase.get(repository);
        if (edges == null) {
            return List.of();
        }
        return new ArrayList<>(edges.subMap(prefix, true, prefix + Character.MAX_VALUE, false).values());
    }

    static String tagOrder(String tag, Digest baseDigest, ImageRef image) {
        return "T#" + tag + "#" + baseDigest + "#" + image.repository() + "@" + image.digest();
    }

    static String digestOrder(Digest baseDigest, ImageRef image) {
        return "D#" + baseDigest + "#" + image.repository() + "@" + image.digest();
    }
}
