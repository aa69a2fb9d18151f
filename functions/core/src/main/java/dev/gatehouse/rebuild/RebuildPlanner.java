package dev.gatehouse.rebuild;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.ImageGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans rebuilds from the image graph and the catalog. A dependent is rebuilt when the graph
 * records it on its base's repository and the catalog builds it on that base tag; the catalog
 * names one base per target, so each image has one parent and the plan is a tree walked
 * breadth-first (a base before its dependents), one step per repository. A walk that comes back
 * to a repository on its own path is a cycle: it is reported, and nothing on it or below it is
 * rebuilt (a rebuild there would trigger itself again forever).
 */
public final class RebuildPlanner {

    private final ImageGraph graph;
    private final RebuildCatalog catalog;

    public RebuildPlanner(ImageGraph graph, RebuildCatalog catalog) {
        this.graph = graph;
        this.catalog = catalog;
    }

    private static final class Node {
        final String repository;
        final String tag;
        final Node parent;
        final int depth;
        final List<Digest> replaces;
        final String reason;
        final List<Node> children = new ArrayList<>();

        Node(String repository, String tag, Node parent, List<Digest> replaces, String reason) {
            this.repository = repository;
            this.tag = tag;
            this.parent = parent;
            this.depth = parent == null ? 0 : parent.depth + 1;
            this.replaces = replaces;
            this.reason = reason;
        }
    }

    /** {@code repository:tag} was pushed at {@code digest}: rebuild what was built on an older digest of it. */
    public RebuildPlan forNewBase(String repository, String tag, Digest digest) {
        RebuildPlan.NewBaseDigest trigger = new RebuildPlan.NewBaseDigest(repository, tag, digest);
        Node root = new Node(repository, tag, null, List.of(digest), "");
        List<RebuildPlan.Skipped> skipped = new ArrayList<>();
        for (Map.Entry<String, List<ImageGraph.Edge>> e : latestByImage(graph.dependents(repository, tag)).entrySet()) {
            List<ImageGraph.Edge> edges = e.getValue();
            ImageGraph.Edge latest = edges.get(edges.size() - 1);
            if (latest.base().digest().equals(digest)) {
                skipped.add(new RebuildPlan.Skipped(e.getKey(), "already built on " + repository + "@" + digest));
                continue;
            }
            List<Digest> replaces = edges.stream().filter(x -> !x.base().digest().equals(digest)).map(x -> x.image().digest()).distinct().toList();
            String reason = "built on " + repository + ":" + tag + "@" + latest.base().digest() + ", which now points at " + digest;
            child(root, e.getKey(), repository, tag, replaces, reason, skipped);
        }
        return walk(trigger, root, skipped);
    }

    /**
     * {@code image} has fixable findings that {@code newerBase}, the current digest of the base tag
     * it was built on, does not have: rebuild it and what is built on it.
     */
    public RebuildPlan forFixableFindings(ImageGraph.ImageRef image, List<String> findings, ImageGraph.BaseRef builtOn, Digest newerBase) {
        RebuildPlan.FixableFindings trigger = new RebuildPlan.FixableFindings(image.repository(), image.digest(), findings,
                builtOn.repository(), builtOn.tag(), builtOn.digest(), newerBase);
        Node root = new Node(builtOn.repository(), builtOn.tag(), null, List.of(newerBase), "");
        List<RebuildPlan.Skipped> skipped = new ArrayList<>();
        String reason = String.join(", ", findings) + " fixable: built on " + builtOn.repository() + ":" + builtOn.tag() + "@" + builtOn.digest()
                + ", the fix is in " + newerBase;
        child(root, image.repository(), builtOn.repository(), builtOn.tag(), List.of(image.digest()), reason, skipped);
        return walk(trigger, root, skipped);
    }

    private RebuildPlan walk(RebuildPlan.Trigger trigger, Node root, List<RebuildPlan.Skipped> skipped) {
        int limit = catalog.settings().maxPlanSize();
        Map<String, Node> planned = new LinkedHashMap<>();
        List<RebuildPlan.Cycle> cycles = new ArrayList<>();
        Set<Node> onCycle = new HashSet<>();
        Deque<Node> queue = new ArrayDeque<>(root.children);
        root.children.forEach(n -> planned.put(n.repository, n));
        while (!queue.isEmpty()) {
            Node node = queue.removeFirst();
            for (Map.Entry<String, List<ImageGraph.Edge>> e : latestByImage(dependentsOf(node)).entrySet()) {
                String repository = e.getKey();
                List<Digest> replaces = e.getValue().stream().map(x -> x.image().digest()).distinct().toList();
                Node ancestor = ancestor(node, repository);
                if (ancestor != null) {
                    cycles.add(cycle(node, ancestor));
                    for (Node n = node; n != ancestor; n = n.parent) {
                        onCycle.add(n);
                    }
                    onCycle.add(ancestor);
                    continue;
                }
                if (planned.containsKey(repository)) {
                    continue;
                }
                if (planned.size() >= limit) {
                    skipped.add(new RebuildPlan.Skipped(repository, "plan truncated at " + limit + " images (settings.maxPlanSize)"));
                    continue;
                }
                String reason = "built on " + node.repository + ", rebuilt in this plan";
                Node child = child(node, repository, node.repository, node.tag, replaces, reason, skipped);
                if (child != null) {
                    planned.put(repository, child);
                    queue.addLast(child);
                }
            }
        }
        List<RebuildPlan.Step> steps = new ArrayList<>();
        Map<Node, Integer> order = new LinkedHashMap<>();
        Deque<Node> level = new ArrayDeque<>(sorted(root.children));
        while (!level.isEmpty()) {
            Node node = level.removeFirst();
            if (onCycle.contains(node) || node.parent != root && !order.containsKey(node.parent)) {
                skipped.add(new RebuildPlan.Skipped(node.repository, onCycle.contains(node)
                        ? "part of a cycle in the image graph; not rebuilt"
                        : "built on " + node.parent.repository + ", which is not rebuilt"));
            } else {
                int baseStep = node.parent == root ? 0 : order.get(node.parent);
                steps.add(new RebuildPlan.Step(steps.size() + 1, node.repository, node.tag, node.depth, node.parent.repository, node.parent.tag,
                        baseStep, node.replaces, node.reason));
                order.put(node, steps.size());
            }
            level.addAll(sorted(node.children));
        }
        return new RebuildPlan(trigger, steps, skipped, cycles);
    }

    /** Adds {@code repository} under {@code parent} when the catalog builds it on that base tag. */
    private Node child(Node parent, String repository, String baseRepository, String baseTag, List<Digest> replaces, String reason,
                       List<RebuildPlan.Skipped> skipped) {
        var target = catalog.target(repository);
        if (target.isEmpty()) {
            skipped.add(new RebuildPlan.Skipped(repository, "built on " + baseRepository + " but has no build definition in the rebuild catalog"));
            return null;
        }
        String catalogBase = target.get().base().repositoryName();
        if (!catalogBase.equals(baseRepository) || baseTag != null && !target.get().base().tag().equals(baseTag)) {
            skipped.add(new RebuildPlan.Skipped(repository, "the catalog builds it on " + target.get().base() + ", not on " + baseRepository
                    + (baseTag == null ? "" : ":" + baseTag)));
            return null;
        }
        Node node = new Node(repository, target.get().tag(), parent, replaces, reason);
        parent.children.add(node);
        return node;
    }

    private List<ImageGraph.Edge> dependentsOf(Node node) {
        List<ImageGraph.Edge> edges = new ArrayList<>();
        for (Digest d : node.replaces) {
            edges.addAll(graph.dependentsOfDigest(node.repository, d));
        }
        edges.addAll(graph.dependents(node.repository, node.tag));
        return edges;
    }

    /** Edges grouped by dependent repository (sorted), each group ordered oldest record first. */
    private static Map<String, List<ImageGraph.Edge>> latestByImage(List<ImageGraph.Edge> edges) {
        Map<String, List<ImageGraph.Edge>> byImage = new TreeMap<>();
        for (ImageGraph.Edge e : edges) {
            byImage.computeIfAbsent(e.image().repository(), r -> new ArrayList<>()).add(e);
        }
        byImage.values().forEach(list -> list.sort(Comparator.comparing(ImageGraph.Edge::recordedAt)));
        return byImage;
    }

    private static Node ancestor(Node node, String repository) {
        for (Node n = node; n != null; n = n.parent) {
            if (n.repository.equals(repository)) {
                return n;
            }
        }
        return null;
    }

    private static RebuildPlan.Cycle cycle(Node from, Node ancestor) {
        List<String> path = new ArrayList<>();
        for (Node n = from; n != ancestor; n = n.parent) {
            path.add(0, n.repository);
        }
        path.add(0, ancestor.repository);
        path.add(ancestor.repository);
        return new RebuildPlan.Cycle(path);
    }

    private static List<Node> sorted(List<Node> nodes) {
        return nodes.stream().sorted(Comparator.comparing(n -> n.repository)).toList();
    }
}
