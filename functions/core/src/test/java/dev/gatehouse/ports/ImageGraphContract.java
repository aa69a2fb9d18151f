package dev.gatehouse.ports;

import static dev.gatehouse.ports.PortFixtures.randomDigest;
import static dev.gatehouse.ports.PortFixtures.randomRepository;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.ImageGraph.BaseRef;
import dev.gatehouse.ports.ImageGraph.Edge;
import dev.gatehouse.ports.ImageGraph.ImageRef;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every ImageGraph does; subclasses supply the implementation under test. */
public abstract class ImageGraphContract {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private ImageGraph graph;

    protected abstract ImageGraph newGraph();

    @BeforeEach
    void createGraph() {
        graph = newGraph();
    }

    @Test
    void dependentsOfATagIncludeImagesBuiltOnEveryDigestItHad() {
        String base = randomRepository("base");
        Digest old = Digest.parse("sha256:" + "1".repeat(64));
        Digest current = Digest.parse("sha256:" + "2".repeat(64));
        Edge onOld = new Edge(new ImageRef(randomRepository("app"), randomDigest()), new BaseRef(base, "1.2", old), T0);
        Edge onCurrent = new Edge(new ImageRef(randomRepository("app"), randomDigest()), new BaseRef(base, "1.2", current), T0);
        Edge otherTag = new Edge(new ImageRef(randomRepository("app"), randomDigest()), new BaseRef(base, "1.3", current), T0);
        graph.record(onCurrent);
        graph.record(onOld);
        graph.record(otherTag);

        assertThat(graph.dependents(base, "1.2")).containsExactly(onOld, onCurrent);
        assertThat(graph.dependents(base, "1.3")).containsExactly(otherTag);
        assertThat(graph.dependentsOfDigest(base, old)).containsExactly(onOld);
        assertThat(graph.dependents(randomRepository("unknown"), "1.2")).isEmpty();
    }

    @Test
    void tagIsMatchedWholeNotAsAPrefix() {
        String base = randomRepository("base");
        Edge edge = new Edge(new ImageRef(randomRepository("app"), randomDigest()), new BaseRef(base, "1.20", randomDigest()), T0);
        graph.record(edge);
        assertThat(graph.dependents(base, "1.2")).isEmpty();
        assertThat(graph.dependents(base, "1.20")).containsExactly(edge);
    }

    @Test
    void baseFromADigestOnlyIsFoundByDigest() {
        String base = randomRepository("base");
        Digest pinned = randomDigest();
        Edge edge = new Edge(new ImageRef(randomRepository("app"), randomDigest()), new BaseRef(base, null, pinned), T0);
        graph.record(edge);
        assertThat(graph.dependentsOfDigest(base, pinned)).containsExactly(edge);
    }

    @Test
    void recordingAnEdgeAgainRefreshesItWithoutDuplicates() {
        String base = randomRepository("base");
        ImageRef image = new ImageRef(randomRepository("app"), randomDigest());
        BaseRef baseRef = new BaseRef(base, "latest", randomDigest());
        graph.record(new Edge(image, baseRef, T0));
        Edge again = new Edge(image, baseRef, T0.plusSeconds(60));
        graph.record(again);
        assertThat(graph.dependents(base, "latest")).containsExactly(again);
        assertThat(graph.dependentsOfDigest(base, baseRef.digest())).containsExactly(again);
    }

    @Test
    void callerWalksDependentsTransitively() {
        String os = randomRepository("os");
        String runtime = randomRepository("runtime");
        String app = randomRepository("app");
        Digest osDigest = randomDigest();
        Digest runtimeDigest = randomDigest();
        Digest appDigest = randomDigest();
        graph.record(new Edge(new ImageRef(runtime, runtimeDigest), new BaseRef(os, "12", osDigest), T0));
        graph.record(new Edge(new ImageRef(app, appDigest), new BaseRef(runtime, "17", runtimeDigest), T0));

        Set<ImageRef> reached = new LinkedHashSet<>();
        Deque<ImageRef> pending = new ArrayDeque<>();
        graph.dependents(os, "12").forEach(e -> pending.add(e.image()));
        while (!pending.isEmpty()) {
            ImageRef next = pending.poll();
            if (reached.add(next)) {
                graph.dependentsOfDigest(next.repository(), next.digest()).forEach(e -> pending.add(e.image()));
            }
        }
        assertThat(reached).containsExactly(new ImageRef(runtime, runtimeDigest), new ImageRef(app, appDigest));
    }
}
