package dev.gatehouse.vuln;

import dev.gatehouse.sbom.PackageUrl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dependency graph a report carries (CycloneDX {@code dependencies}), by bom-ref: which
 * components include which, and the root (the scanned artifact).
 *
 * @param root the bom-ref of the root component, or null
 * @param components what each bom-ref is
 * @param parents for each bom-ref, the bom-refs that depend on it
 */
public record ComponentGraph(String root, Map<String, Node> components, Map<String, List<String>> parents) {

    /** Bound on enumerated paths per component; beyond it {@link #pathsToRoot} gives up. */
    public static final int MAX_PATHS = 256;
    public static final int MAX_DEPTH = 64;

    /** A component of the graph. */
    public record Node(String ref, PackageUrl purl, String name, String version) {}

    public ComponentGraph {
        components = Map.copyOf(components);
        parents = Map.copyOf(parents);
    }

    /**
     * Every path from {@code ref} up to a component without parents (normally the root), each
     * listing the ancestors nearest first, cycles cut. Empty when the component is not in the
     * graph. When there are more than {@link #MAX_PATHS} paths or one is deeper than
     * {@link #MAX_DEPTH}, no paths at all: an incomplete list of paths must not let an ancestor's
     * statement suppress anything.
     */
    public Optional<List<List<Node>>> pathsToRoot(String ref) {
        if (!components.containsKey(ref)) {
            return Optional.empty();
        }
        List<List<Node>> out = new ArrayList<>();
        if (!walk(ref, new ArrayList<>(), new HashSet<>(Set.of(ref)), out)) {
            return Optional.of(List.of());
        }
        return Optional.of(out);
    }

    private boolean walk(String ref, List<Node> ancestors, Set<String> visited, List<List<Node>> out) {
        if (ancestors.size() > MAX_DEPTH || out.size() > MAX_PATHS) {
            return false;
        }
        List<String> up = parents.getOrDefault(ref, List.of());
        boolean extended = false;
        for (String parent : up) {
            if (visited.contains(parent)) {
                continue;
            }
            Node node = components.get(parent);
            if (node == null) {
                continue;
            }
            extended = true;
            ancestors.add(node);
            visited.add(parent);
            boolean ok = walk(parent, ancestors, visited, out);
            visited.remove(parent);
            ancestors.remove(ancestors.size() - 1);
            if (!ok) {
                return false;
            }
        }
        if (!extended) {
            out.add(List.copyOf(ancestors));
        }
        return out.size() <= MAX_PATHS;
    }
}
