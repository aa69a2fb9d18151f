package dev.gatehouse.rebuild;

import static dev.gatehouse.rebuild.RebuildFixtures.input;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.ports.local.InMemoryBlobStore;
import dev.gatehouse.ports.local.InMemoryIdempotencyKeys;
import dev.gatehouse.ports.local.InMemoryImageGraph;
import dev.gatehouse.ports.local.InMemoryResultStore;
import dev.gatehouse.ports.local.RecordingEventPublisher;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scan-path trigger as the deployments wire it: {@link StoredResultsBaseFindings} resolves the
 * base tag on the real registry and reads the bases' findings from stored verification reports. A
 * scan of an image with a fixable CVE that the newer digest of its base tag no longer has plans the
 * rebuild of the image and of what is built on it, on that digest.
 */
class FixableFindingsOnTheRegistryTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    final InMemoryImageGraph graph = new InMemoryImageGraph();
    final InMemoryResultStore results = new InMemoryResultStore();
    final RebuilderTest.ScriptedRunner runner = new RebuilderTest.ScriptedRunner();
    final List<String> log = new ArrayList<>();

    Digest push(String repository, String tag, Set<SampleDefect> variant) throws Exception {
        return new SampleImages(REGISTRY.repository(repository), LocalKeySigner.generate("publisher"), T0)
                .build(REGISTRY.host() + "/" + repository, tag, variant).image().digest();
    }

    void stored(String repository, Digest digest, boolean allowed, String... openFindings) {
        ObjectNode report = dev.gatehouse.io.UntrustedJson.mapper().createObjectNode();
        report.putObject("decision").put("allowed", allowed);
        var findings = report.putObject("input").putObject("vulnerabilities").putArray("findings");
        for (String id : openFindings) {
            findings.addObject().put("id", id).put("fix_available", true).put("suppressed", false);
        }
        results.put(new ResultStore.VerificationResult(REGISTRY.host() + "/" + repository, digest, "rev1",
                allowed ? Decision.Outcome.ALLOW : Decision.Outcome.DENY, List.of(), new ResultStore.InlineReport(report.toString()), T0));
    }

    VerifiedImage scanned(String repository, Digest digest, String baseName, Digest baseDigest, String cve) {
        ObjectNode input = input(true, baseName, baseDigest);
        input.putObject("vulnerabilities").putArray("findings").addObject().put("id", cve).put("fix_available", true).put("suppressed", false);
        VerificationReport report = new VerificationReport(REGISTRY.host() + "/" + repository + "@" + digest, digest.toString(), "linux/amd64",
                new Decision(Decision.Outcome.DENY, List.of(), List.of(), "test"), List.of(), List.of(), input,
                new VerificationReport.Timings(0, 0, 0, 0));
        return new VerifiedImage(REGISTRY.host(), repository, digest, null, "scan", "test", report, T0);
    }

    @Test
    void aScanFindingFixedInTheNewerBaseDigestOnTheRegistryRebuildsTheImageAndItsDependentsOnIt() throws Exception {
        String host = REGISTRY.host();
        Digest base1 = push("fix/base", "latest", Set.of());
        Digest base2 = push("fix/base", "latest", EnumSet.of(SampleDefect.SHELL_PRESENT));
        Digest custom1 = Digest.sha256("custom-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Digest app1 = Digest.sha256("app-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        stored("fix/base", base1, false, "CVE-2026-0001");
        stored("fix/base", base2, true);
        graph.record(new ImageGraph.Edge(new ImageGraph.ImageRef(host + "/fix/custom", custom1),
                new ImageGraph.BaseRef(host + "/fix/base", "latest", base1), T0));
        graph.record(new ImageGraph.Edge(new ImageGraph.ImageRef(host + "/fix/app", app1),
                new ImageGraph.BaseRef(host + "/fix/custom", "1", custom1), T0));
        RebuildCatalog catalog = new RebuildCatalog(List.of(
                new RebuildTarget(host + "/fix/custom", "1", ImageReference.parse(host + "/fix/base:latest"),
                        new BuildDefinition.Containerfile(Path.of("/src/custom/Containerfile"), Path.of("/src/custom"))),
                new RebuildTarget(host + "/fix/app", "1", ImageReference.parse(host + "/fix/custom:1"),
                        new BuildDefinition.Containerfile(Path.of("/src/app/Containerfile"), Path.of("/src/app")))), RebuildSettings.DEFAULTS);
        Rebuilder rebuilder = new Rebuilder(runner, graph, new InMemoryIdempotencyKeys(Clock.systemUTC()), new RecordingEventPublisher(100),
                RebuildSettings.DEFAULTS, Clock.systemUTC(), log::add, List.of());
        BaseFindings bases = new StoredResultsBaseFindings(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()), results,
                new InMemoryBlobStore());
        RebuildTrigger trigger = new RebuildTrigger(graph, () -> catalog, rebuilder, bases, log::add);

        RebuildPlan plan = new RebuildPlanner(graph, catalog).forFixableFindings(new ImageGraph.ImageRef(host + "/fix/custom", custom1),
                List.of("CVE-2026-0001"), new ImageGraph.BaseRef(host + "/fix/base", "latest", base1), base2);
        trigger.onVerified(scanned("fix/custom", custom1, host + "/fix/base:latest", base1, "CVE-2026-0001"));
        trigger.onVerified(scanned("fix/custom", custom1, host + "/fix/base:latest", base1, "CVE-2026-0001"));

        assertThat(bases.currentDigest(host + "/fix/base", "latest")).contains(base2);
        assertThat(plan.steps()).extracting(RebuildPlan.Step::repository).containsExactly(host + "/fix/custom", host + "/fix/app");
        assertThat(runner.started).as("the image is rebuilt once on the newer base; its dependent waits for that push").singleElement()
                .satisfies(r -> {
                    assertThat(r.targetRepository()).isEqualTo(host + "/fix/custom");
                    assertThat(r.base().digest()).isEqualTo(base2);
                });
    }
}
