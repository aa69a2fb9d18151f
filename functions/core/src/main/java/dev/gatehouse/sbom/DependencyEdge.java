package dev.gatehouse.sbom;

import java.util.Objects;

/**
 * One edge of the dependency graph: the component {@code from} depends on (or contains) the
 * component {@code to}. Both are {@link Component#ref()} values, or the subject's ref.
 */
public record DependencyEdge(String from, String to) {

    public DependencyEdge {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}
