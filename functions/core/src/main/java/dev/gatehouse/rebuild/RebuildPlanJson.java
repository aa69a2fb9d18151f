package dev.gatehouse.rebuild;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;

/** A rebuild plan as JSON (machines) and as text (people). */
public final class RebuildPlanJson {

    private RebuildPlanJson() {}

    public static ObjectNode json(RebuildPlan plan) {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        ObjectNode trigger = root.putObject("trigger");
        if (plan.trigger() instanceof RebuildPlan.NewBaseDigest t) {
            trigger.put("kind", "new-base-digest");
            trigger.put("repository", t.repository());
            trigger.put("tag", t.tag());
            trigger.put("digest", t.digest().toString());
        } else if (plan.trigger() instanceof RebuildPlan.FixableFindings t) {
            trigger.put("kind", "fixable-findings");
            trigger.put("image", t.imageRepository() + "@" + t.imageDigest());
            t.findings().forEach(trigger.putArray("findings")::add);
            trigger.put("base_repository", t.baseRepository());
            trigger.put("base_tag", t.baseTag());
            trigger.put("built_on", t.builtOn().toString());
            trigger.put("newer_base", t.newerBase().toString());
        }
        ArrayNode steps = root.putArray("steps");
        for (RebuildPlan.Step s : plan.steps()) {
            ObjectNode n = steps.addObject();
            n.put("order", s.order());
            n.put("repository", s.repository());
            n.put("tag", s.tag());
            n.put("depth", s.depth());
            n.put("base_repository", s.baseRepository());
            if (s.baseTag() != null) {
                n.put("base_tag", s.baseTag());
            }
            if (s.baseStep() == 0) {
                n.put("base_digest", plan.trigger().baseDigest().toString());
            } else {
                n.put("base_step", s.baseStep());
            }
            ArrayNode replaces = n.putArray("replaces");
            s.replaces().forEach(d -> replaces.add(d.toString()));
            n.put("reason", s.reason());
        }
        ArrayNode skipped = root.putArray("skipped");
        for (RebuildPlan.Skipped s : plan.skipped()) {
            skipped.addObject().put("repository", s.repository()).put("reason", s.reason());
        }
        ArrayNode cycles = root.putArray("cycles");
        for (RebuildPlan.Cycle c : plan.cycles()) {
            ArrayNode ring = cycles.addArray();
            c.repositories().forEach(ring::add);
        }
        return root;
    }

    public static String text(RebuildPlan plan) {
        StringBuilder out = new StringBuilder("trigger: ").append(plan.trigger()).append('\n');
        if (plan.steps().isEmpty()) {
            out.append("nothing to rebuild\n");
        }
        for (RebuildPlan.Step s : plan.steps()) {
            out.append(s.order()).append(". ").append(s.repository()).append(':').append(s.tag()).append(" on ").append(s.baseRepository())
                    .append(s.baseStep() == 0 ? "@" + plan.trigger().baseDigest() : " from step " + s.baseStep()).append('\n')
                    .append("   why: ").append(s.reason()).append('\n');
        }
        for (RebuildPlan.Skipped s : plan.skipped()) {
            out.append("skipped ").append(s.repository()).append(": ").append(s.reason()).append('\n');
        }
        for (RebuildPlan.Cycle c : plan.cycles()) {
            out.append("cycle: ").append(c).append('\n');
        }
        return out.toString();
    }
}
