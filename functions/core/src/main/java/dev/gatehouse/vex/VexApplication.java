package dev.gatehouse.vex;

import dev.gatehouse.vuln.ComponentGraph;
import dev.gatehouse.vuln.Finding;
import dev.gatehouse.vuln.ScanReport;
import dev.gatehouse.vuln.ScannedFinding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies merged VEX to findings (rules in docs/vex.md). Statements are looked up by the
 * finding's id and aliases through the merged index, so the cost per finding is the number of
 * statements about that vulnerability. A finding is suppressed when
 * <ul>
 *   <li>the latest statement whose product names the affected component has a suppressing
 *       status, or</li>
 *   <li>on every path from the component up to the image there is an ancestor for which the latest
 *       statement naming it, with a subcomponent naming the component or no subcomponents, has a
 *       suppressing status.</li>
 * </ul>
 */
public final class VexApplication {

    private final MergedVex vex;
    private final VexPolicy policy;

    public VexApplication(MergedVex vex, VexPolicy policy) {
        this.vex = vex;
        this.policy = policy;
    }

    public VexVerdict decide(Finding finding, FindingContext context) {
        List<VexStatement> statements = vex.about(finding.ids());
        if (statements.isEmpty()) {
            return new VexVerdict.Kept(finding, null);
        }
        ProductIdentity component = context.component();
        VexStatement latestDirect = latest(statements, component, null);
        if (latestDirect != null && policy.suppresses(latestDirect.status())) {
            return new VexVerdict.Suppressed(finding, latestDirect, component);
        }
        VexStatement newest = latestDirect;
        VexStatement decider = null;
        ProductIdentity deciderScope = null;
        boolean allCovered = !context.ancestorPaths().isEmpty();
        for (List<ProductIdentity> path : context.ancestorPaths()) {
            boolean covered = false;
            for (ProductIdentity ancestor : path) {
                VexStatement s = latest(statements, ancestor, component);
                if (s == null) {
                    continue;
                }
                if (newest == null || VexMerger.PRECEDENCE.compare(s, newest) > 0) {
                    newest = s;
                }
                if (policy.suppresses(s.status())) {
                    covered = true;
                    if (decider == null || VexMerger.PRECEDENCE.compare(s, decider) > 0) {
                        decider = s;
                        deciderScope = ancestor;
                    }
                    break;
                }
            }
            allCovered &= covered;
        }
        if (allCovered && decider != null) {
            return new VexVerdict.Suppressed(finding, decider, deciderScope);
        }
        return new VexVerdict.Kept(finding, newest);
    }

    /**
     * The verdicts for every finding of a scan of {@code image} (null when unknown), in order.
     * When the report carries a dependency graph, a finding's paths are its paths up to the root
     * component, which stands for the image (a path ending elsewhere ends in the image too);
     * otherwise the component sits directly in the image.
     */
    public List<VexVerdict> decide(ScanReport report, ProductIdentity image) {
        List<VexVerdict> out = new ArrayList<>(report.findings().size());
        for (ScannedFinding f : report.findings()) {
            out.add(decide(f.finding(), contextOf(report, f, image)));
        }
        return out;
    }

    private static FindingContext contextOf(ScanReport report, ScannedFinding f, ProductIdentity image) {
        ProductIdentity component = componentOf(report, f);
        ComponentGraph graph = report.graph();
        if (graph == null || f.bomRef() == null) {
            return FindingContext.inImage(component, image);
        }
        var paths = graph.pathsToRoot(f.bomRef());
        if (paths.isEmpty()) {
            return FindingContext.inImage(component, image);
        }
        List<List<ProductIdentity>> identities = new ArrayList<>();
        for (List<ComponentGraph.Node> path : paths.get()) {
            List<ProductIdentity> ids = new ArrayList<>(path.size());
            for (ComponentGraph.Node node : path) {
                ProductIdentity id = identityOf(report, node);
                ids.add(image != null && node.ref().equals(graph.root()) ? id.union(image) : id);
            }
            boolean reachesRoot = !path.isEmpty() && path.get(path.size() - 1).ref().equals(graph.root());
            if (image != null && !reachesRoot) {
                // Everything a report of the image lists is inside the image, linked to the root or not.
                ids.add(image);
            }
            identities.add(ids);
        }
        return new FindingContext(component, identities);
    }

    private static ProductIdentity identityOf(ScanReport report, ComponentGraph.Node node) {
        BomLink link = BomLink.of(report.serialNumber(), report.bomVersion(), node.ref()).orElse(null);
        Set<String> ids = node.purl() == null ? Set.of() : Set.of(node.purl().toString());
        return new ProductIdentity(node.purl(), Set.of(), link, node.name(), node.version(), ids);
    }

    /** What a scanned finding's package is known as. */
    public static ProductIdentity componentOf(ScanReport report, ScannedFinding scanned) {
        Finding f = scanned.finding();
        Set<String> ids = new HashSet<>();
        if (f.purl() != null) {
            ids.add(f.purl().toString());
        }
        BomLink link = scanned.bomRef() == null ? null
                : BomLink.of(report.serialNumber(), report.bomVersion(), scanned.bomRef()).orElse(null);
        return new ProductIdentity(f.purl(), Set.of(), link, f.packageName(), f.installedVersion(), ids);
    }

    /**
     * The latest applicable statement with a product naming {@code scope}; when {@code component}
     * is given, the product must also cover it through its subcomponents (or have none).
     */
    private static VexStatement latest(List<VexStatement> statements, ProductIdentity scope, ProductIdentity component) {
        for (int i = statements.size() - 1; i >= 0; i--) {
            VexStatement s = statements.get(i);
            for (VexProduct p : s.products()) {
                if (p.product().matches(scope) && (component == null || p.coversComponent(component))) {
                    return s;
                }
            }
        }
        return null;
    }
}
