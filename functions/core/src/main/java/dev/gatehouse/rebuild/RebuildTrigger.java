package dev.gatehouse.rebuild;

import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.ImageGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Starts rebuilds from verifications. When a verified push moves a base tag, images recorded on an
 * older digest of {@code repository:tag} are rebuilt on the new digest: the plan's first steps
 * start now, the steps below them when those rebuilt bases are pushed and verified in turn. When a
 * verification (a scan) finds fixable findings that the current digest of the image's base tag no
 * longer has, the image and what is built on it are rebuilt on that digest. Nothing is built on a
 * base that policy denied: fail closed.
 */
public final class RebuildTrigger implements VerificationListener {

    private final ImageGraph graph;
    private final Supplier<RebuildCatalog> catalog;
    private final Rebuilder rebuilder;
    private final BaseFindings baseFindings;
    private final Consumer<String> log;

    /** {@code catalog} is asked on every call, so a deployment may reload it; without {@code baseFindings} fixable findings trigger nothing. */
    public RebuildTrigger(ImageGraph graph, Supplier<RebuildCatalog> catalog, Rebuilder rebuilder, BaseFindings baseFindings,
                          Consumer<String> log) {
        this.graph = graph;
        this.catalog = catalog;
        this.rebuilder = rebuilder;
        this.baseFindings = baseFindings;
        this.log = log;
    }

    public RebuildTrigger(ImageGraph graph, Supplier<RebuildCatalog> catalog, Rebuilder rebuilder, Consumer<String> log) {
        this(graph, catalog, rebuilder, null, log);
    }

    @Override
    public void onVerified(VerifiedImage image) throws InterruptedException {
        if (image.registry().isEmpty()) {
            return;
        }
        RebuildCatalog current = catalog.get();
        if (image.tag() != null) {
            RebuildPlan plan = new RebuildPlanner(graph, current).forNewBase(image.registry() + "/" + image.repository(), image.tag(), image.digest());
            if (!plan.steps().isEmpty() && !image.report().decision().allowed()) {
                log.accept("rebuild: " + image.pinnedReference() + " has " + plan.steps().size()
                        + " dependents to rebuild, but policy denied it; nothing is rebuilt on it");
            } else {
                start(plan, current);
            }
        }
        if (baseFindings != null && image.report().input() != null) {
            fixableFindings(image, current);
        }
    }

    private void fixableFindings(VerifiedImage image, RebuildCatalog current) throws InterruptedException {
        Set<String> fixable = BaseFindings.openFindingIds(image.report().input(), true);
        if (fixable.isEmpty()) {
            return;
        }
        for (BaseImageEvidence.Base base : BaseImageEvidence.of(image.report().input()).bases()) {
            ImageGraph.BaseRef builtOn = base.ref();
            if (builtOn.tag() == null) {
                continue;
            }
            Optional<Digest> newer = baseFindings.currentDigest(builtOn.repository(), builtOn.tag());
            if (newer.isEmpty() || newer.get().equals(builtOn.digest())) {
                continue;
            }
            Optional<BaseFindings.Verification> inNewer = baseFindings.latest(newer.get());
            if (inNewer.isEmpty() || !inNewer.get().allowed()) {
                log.accept("rebuild: " + builtOn.repository() + "@" + newer.get() + (inNewer.isEmpty() ? " was not verified yet" : " was denied")
                        + "; " + image.pinnedReference() + " is not rebuilt on it");
                continue;
            }
            Set<String> fixed = new TreeSet<>(fixable);
            baseFindings.latest(builtOn.digest()).ifPresent(old -> fixed.retainAll(old.openFindings()));
            fixed.removeAll(inNewer.get().openFindings());
            if (!fixed.isEmpty()) {
                RebuildPlan plan = new RebuildPlanner(graph, current).forFixableFindings(
                        new ImageGraph.ImageRef(image.registry() + "/" + image.repository(), image.digest()), new ArrayList<>(fixed), builtOn,
                        newer.get());
                start(plan, current);
            }
        }
    }

    private void start(RebuildPlan plan, RebuildCatalog current) throws InterruptedException {
        for (RebuildPlan.Cycle cycle : plan.cycles()) {
            log.accept("rebuild: cycle in the image graph, not followed: " + cycle);
        }
        if (plan.steps().isEmpty()) {
            return;
        }
        List<StepOutcome> outcomes = rebuilder.startDirect(plan, current);
        log.accept("rebuild: " + plan.trigger() + ": " + outcomes.stream()
                .map(o -> o.step().repository() + " " + o.getClass().getSimpleName()).toList());
    }
}
