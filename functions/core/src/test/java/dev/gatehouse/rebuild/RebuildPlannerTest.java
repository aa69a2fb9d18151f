package dev.gatehouse.rebuild;

import static dev.gatehouse.rebuild.RebuildFixtures.REGISTRY;
import static dev.gatehouse.rebuild.RebuildFixtures.digest;
import static dev.gatehouse.rebuild.RebuildFixtures.input;
import static dev.gatehouse.rebuild.RebuildFixtures.verified;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.local.InMemoryImageGraph;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RebuildPlannerTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    final InMemoryImageGraph graph = new InMemoryImageGraph();
    final List<RebuildTarget> targets = new ArrayList<>();
    int clock;

    static String repo(String name) {
        return REGISTRY + "/" + name;
    }

    /** {@code name:tag} is built on {@code base:baseTag} by a Containerfile (catalog entry). */
    void target(String name, String baseName, String baseTag) {
        targets.add(new RebuildTarget(repo(name), "1", ImageReference.parse(repo(baseName) + ":" + baseTag),
                new BuildDefinition.Containerfile(Path.of("/src", name, "Containerfile"), Path.of("/src", name))));
    }

    /** The graph records {@code name@imageSeed} built on {@code base:tag@baseSeed}, through the recorder. */
    void built(String name, String imageSeed, String baseName, String tag, String baseSeed) {
        new ImageGraphRecorder(graph, s -> { }).onVerified(verified(name, digest(imageSeed), "1",
                input(true, repo(baseName) + ":" + tag, digest(baseSeed)), Decision.Outcome.DENY, T0.plusSeconds(clock++)));
    }

    RebuildPlan planNewBase(String baseName, String tag, Digest digest) {
        return new RebuildPlanner(graph, new RebuildCatalog(targets, RebuildSettings.DEFAULTS)).forNewBase(repo(baseName), tag, digest);
    }

    @Test
    void dependentsAreRebuiltTransitivelyBaseBeforeDependent() {
        target("custom", "base", "latest");
        target("app", "custom", "1");
        target("other", "base", "latest");
        built("custom", "custom-1", "base", "latest", "base-1");
        built("other", "other-1", "base", "latest", "base-1");
        built("app", "app-1", "custom", "1", "custom-1");

        RebuildPlan plan = planNewBase("base", "latest", digest("base-2"));

        assertThat(plan.steps()).extracting(RebuildPlan.Step::repository).containsExactly(repo("custom"), repo("other"), repo("app"));
        RebuildPlan.Step app = plan.steps().get(2);
        assertThat(app.baseStep()).isEqualTo(1);
        assertThat(app.depth()).isEqualTo(2);
        assertThat(app.replaces()).containsExactly(digest("app-1"));
        assertThat(plan.steps().get(0).reason()).contains("base:latest@" + digest("base-1")).contains(digest("base-2").toString());
        assertThat(plan.cycles()).isEmpty();
    }

    @Test
    void anImageAlreadyBuiltOnTheNewDigestIsNotRebuilt() {
        target("custom", "base", "latest");
        built("custom", "custom-1", "base", "latest", "base-1");
        built("custom", "custom-2", "base", "latest", "base-2");

        RebuildPlan plan = planNewBase("base", "latest", digest("base-2"));

        assertThat(plan.steps()).isEmpty();
        assertThat(plan.skipped()).singleElement().extracting(RebuildPlan.Skipped::reason).asString().startsWith("already built on");
    }

    @Test
    void aDependentReachedTwiceIsPlannedOnce() {
        target("custom", "base", "latest");
        built("custom", "custom-1", "base", "latest", "base-1");
        built("custom", "custom-0", "base", "latest", "base-0");

        RebuildPlan plan = planNewBase("base", "latest", digest("base-2"));

        assertThat(plan.steps()).singleElement().satisfies(s -> assertThat(s.replaces()).containsExactlyInAnyOrder(digest("custom-1"), digest("custom-0")));
    }

    @Test
    void aDependentWithoutBuildDefinitionIsReportedNotRebuilt() {
        built("stray", "stray-1", "base", "latest", "base-1");

        RebuildPlan plan = planNewBase("base", "latest", digest("base-2"));

        assertThat(plan.steps()).isEmpty();
        assertThat(plan.skipped()).singleElement().satisfies(s -> {
            assertThat(s.repository()).isEqualTo(repo("stray"));
            assertThat(s.reason()).contains("no build definition");
        });
    }

    @Test
    void aCycleIsReportedAndNothingOnItIsRebuilt() {
        // base -> a -> b -> base: rebuilding base from b would retrigger a and b forever.
        target("a", "base", "latest");
        target("b", "a", "1");
        target("base", "b", "1");
        target("leaf", "a", "1");
        built("a", "a-1", "base", "latest", "base-1");
        built("b", "b-1", "a", "1", "a-1");
        built("base", "base-1", "b", "1", "b-1");
        built("leaf", "leaf-1", "a", "1", "a-1");

        RebuildPlan plan = planNewBase("base", "latest", digest("base-2"));

        assertThat(plan.cycles()).singleElement().extracting(RebuildPlan.Cycle::repositories)
                .isEqualTo(List.of(repo("base"), repo("a"), repo("b"), repo("base")));
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.skipped()).extracting(RebuildPlan.Skipped::repository).contains(repo("a"), repo("b"), repo("leaf"));
    }

    @Test
    void aSelfCycleOnARepositoryIsReported() {
        target("loop", "base", "latest");
        built("loop", "loop-1", "base", "latest", "base-1");
        built("loop", "loop-2", "loop", "1", "loop-1");
        RebuildPlan plan = planNewBase("base", "latest", digest("base-2"));
        assertThat(plan.cycles()).isNotEmpty();
        assertThat(plan.steps()).isEmpty();
    }

    @Test
    void theCatalogDecidesTheBaseAStaleGraphEdgeIsNotFollowed() {
        target("moved", "elsewhere", "1");
        built("moved", "moved-1", "base", "latest", "base-1");

        RebuildPlan plan = planNewBase("base", "latest", digest("base-2"));

        assertThat(plan.steps()).isEmpty();
        assertThat(plan.skipped()).singleElement().extracting(RebuildPlan.Skipped::reason).asString().contains("the catalog builds it on");
    }

    @Test
    void aLongChainStopsAtThePlanSizeLimit() {
        target("n0", "base", "latest");
        built("n0", "n0-1", "base", "latest", "base-1");
        for (int i = 1; i < 30; i++) {
            target("n" + i, "n" + (i - 1), "1");
            built("n" + i, "n" + i + "-1", "n" + (i - 1), "1", "n" + (i - 1) + "-1");
        }
        RebuildPlan plan = new RebuildPlanner(graph, new RebuildCatalog(targets,
                new RebuildSettings(3, 10, java.time.Duration.ofHours(1), 10, java.time.Duration.ofMinutes(5))))
                .forNewBase(repo("base"), "latest", digest("base-2"));
        assertThat(plan.steps()).hasSize(10);
        assertThat(plan.skipped()).singleElement().extracting(RebuildPlan.Skipped::reason).asString().contains("plan truncated at 10");
    }

    @Test
    void aFixableFindingPlansTheImageAndItsDependents() {
        target("custom", "base", "latest");
        target("app", "custom", "1");
        built("custom", "custom-1", "base", "latest", "base-1");
        built("app", "app-1", "custom", "1", "custom-1");

        RebuildPlan plan = new RebuildPlanner(graph, new RebuildCatalog(targets, RebuildSettings.DEFAULTS)).forFixableFindings(
                new ImageGraph.ImageRef(repo("custom"), digest("custom-1")), List.of("CVE-2026-1"),
                new ImageGraph.BaseRef(repo("base"), "latest", digest("base-1")), digest("base-2"));

        assertThat(plan.steps()).extracting(RebuildPlan.Step::repository).containsExactly(repo("custom"), repo("app"));
        assertThat(plan.steps().get(0).reason()).contains("CVE-2026-1");
        assertThat(RebuildPlanJson.json(plan).at("/trigger/kind").asText()).isEqualTo("fixable-findings");
    }

    @Test
    void planJsonNamesStepsInOrderWithTheirBase() {
        target("custom", "base", "latest");
        target("app", "custom", "1");
        built("custom", "custom-1", "base", "latest", "base-1");
        built("app", "app-1", "custom", "1", "custom-1");
        var json = RebuildPlanJson.json(planNewBase("base", "latest", digest("base-2")));
        assertThat(json.at("/steps/0/base_digest").asText()).isEqualTo(digest("base-2").toString());
        assertThat(json.at("/steps/1/base_step").asInt()).isEqualTo(1);
        assertThat(RebuildPlanJson.text(planNewBase("base", "latest", digest("base-2"))))
                .contains("1. " + repo("custom") + ":1 on " + repo("base") + "@").contains("2. " + repo("app") + ":1 on " + repo("custom") + " from step 1");
    }
}
