package dev.gatehouse.rebuild;

import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.ports.ImageGraph;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Starts rebuilds when a verified push moves a base tag: if images are recorded on an older digest
 * of {@code repository:tag}, the plan's first steps are started on the new digest; the steps below
 * them follow when those rebuilt bases are pushed and verified in turn. Nothing is built on a base
 * that policy denied: fail closed.
 */
public final class RebuildTrigger implements VerificationListener {

    private final ImageGraph graph;
    private final Supplier<RebuildCatalog> catalog;
    private final Rebuilder rebuilder;
    private final Consumer<String> log;

    /** {@code catalog} is asked on every call, so a deployment may reload it. */
    public RebuildTrigger(ImageGraph graph, Supplier<RebuildCatalog> catalog, Rebuilder rebuilder, Consumer<String> log) {
        this.graph = graph;
        this.catalog = catalog;
        this.rebuilder = rebuilder;
        this.log = log;
    }

    @Override
    public void onVerified(VerifiedImage image) throws InterruptedException {
        if (image.tag() == null || image.registry().isEmpty()) {
            return;
        }
        RebuildCatalog current = catalog.get();
        RebuildPlan plan = new RebuildPlanner(graph, current).forNewBase(image.registry() + "/" + image.repository(), image.tag(), image.digest());
        for (RebuildPlan.Cycle cycle : plan.cycles()) {
            log.accept("rebuild: cycle in the image graph, not followed: " + cycle);
        }
        if (plan.steps().isEmpty()) {
            return;
        }
        if (!image.report().decision().allowed()) {
            log.accept("rebuild: " + image.pinnedReference() + " has " + plan.steps().size()
                    + " dependents to rebuild, but policy denied it; nothing is rebuilt on it");
            return;
        }
        List<StepOutcome> outcomes = rebuilder.startDirect(plan, current);
        log.accept("rebuild: " + plan.trigger() + ": " + outcomes.size() + " steps, " + outcomes.stream()
                .map(o -> o.step().repository() + " " + o.getClass().getSimpleName()).toList());
    }
}
