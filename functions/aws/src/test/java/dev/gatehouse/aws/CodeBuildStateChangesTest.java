package dev.gatehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.aws.testing.CodeBuildStub;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.ports.EventPublisher;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.local.InMemoryIdempotencyKeys;
import dev.gatehouse.ports.local.InMemoryImageGraph;
import dev.gatehouse.ports.local.RecordingEventPublisher;
import dev.gatehouse.rebuild.RebuildCatalog;
import dev.gatehouse.rebuild.RebuildPlanner;
import dev.gatehouse.rebuild.Rebuilder;
import dev.gatehouse.rebuild.StepOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The end of CodeBuild rebuilds, from their "CodeBuild Build State Change" events to the rebuild
 * executor. No local CodeBuild exists: {@link CodeBuildStub} speaks CodeBuild's documented JSON
 * protocol on loopback and emits the documented event format.
 */
class CodeBuildStateChangesTest {

    static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    static final String BASE = REGISTRY + "/platform/base";
    static final String APP = REGISTRY + "/payments/app";
    static final String PROJECT = "gatehouse-rebuild-app";
    static final Digest BASE_1 = Digest.sha256("base-1".getBytes(StandardCharsets.UTF_8));
    static final Digest BASE_2 = Digest.sha256("base-2".getBytes(StandardCharsets.UTF_8));
    static final Digest APP_1 = Digest.sha256("app-1".getBytes(StandardCharsets.UTF_8));
    static final Digest APP_2 = Digest.sha256("app-2".getBytes(StandardCharsets.UTF_8));

    CodeBuildStub codebuild;
    final InMemoryImageGraph graph = new InMemoryImageGraph();
    final InMemoryIdempotencyKeys keys = new InMemoryIdempotencyKeys(Clock.systemUTC());
    final RecordingEventPublisher events = new RecordingEventPublisher(100);
    final List<String> log = new ArrayList<>();
    final List<String> built = new ArrayList<>();
    RebuildCatalog catalog;
    Rebuilder rebuilder;
    CodeBuildStateChanges changes;

    @BeforeEach
    void start() throws Exception {
        codebuild = CodeBuildStub.start();
        catalog = catalog("""
                settings: {maxAttempts: 2}
                targets:
                  - repository: %s
                    tag: "1.4"
                    base: %s:2026.11
                    codebuild: {project: %s, sourceVersion: refs/heads/main, buildspec: buildspec-rebuild.yml}
                """.formatted(APP, BASE, PROJECT));
        CodeBuildRunner runner = new CodeBuildRunner(codebuild.client());
        rebuilder = new Rebuilder(runner, graph, keys, events, catalog.settings(), Clock.systemUTC(), log::add,
                List.of((request, result) -> built.add(request.definition() + " pushed " + result.repository() + "@" + result.pushedDigest()
                        + " on " + result.base().pinned())));
        changes = new CodeBuildStateChanges(runner, () -> catalog, rebuilder, log::add);
    }

    @AfterEach
    void stop() {
        codebuild.close();
    }

    static RebuildCatalog catalog(String yaml) throws MalformedInputException {
        return RebuildCatalog.parse(yaml.getBytes(StandardCharsets.UTF_8), Path.of("/"), "test catalog");
    }

    /** The app is recorded on base 1; base 2 is pushed, and its rebuild starts in CodeBuild. */
    String startRebuild() throws Exception {
        graph.record(new ImageGraph.Edge(new ImageGraph.ImageRef(APP, APP_1), new ImageGraph.BaseRef(BASE, "2026.11", BASE_1), Instant.now()));
        List<StepOutcome> started = rebuilder.startDirect(new RebuildPlanner(graph, catalog).forNewBase(BASE, "2026.11", BASE_2), catalog);
        assertThat(started).singleElement().isInstanceOf(StepOutcome.Started.class);
        return codebuild.buildIds().get(0);
    }

    CodeBuildStateChanges.Outcome handle(String event) throws Exception {
        return changes.handle(event.getBytes(StandardCharsets.UTF_8));
    }

    List<String> published() {
        return events.events().stream().map(EventPublisher.Event::detailType).toList();
    }

    @Test
    void aFailedBuildStartsTheNextAttemptWithTheCatalogsDefinitionAndItsReplayStartsNothing() throws Exception {
        String first = startRebuild();
        String failed = codebuild.finish(first, "FAILED", null);

        CodeBuildStateChanges.Outcome outcome = handle(failed);
        CodeBuildStateChanges.Outcome replay = handle(failed);

        assertThat(outcome).isInstanceOfSatisfying(CodeBuildStateChanges.Handled.class, h -> {
            assertThat(h.buildId()).isEqualTo(first);
            assertThat(h.outcome()).isInstanceOfSatisfying(StepOutcome.Started.class, s -> assertThat(s.request().attempt()).isEqualTo(2));
            assertThat(h.toJson().path("outcome").asText()).isEqualTo("retried");
        });
        assertThat(replay).isInstanceOfSatisfying(CodeBuildStateChanges.Handled.class,
                h -> assertThat(h.outcome()).isInstanceOf(StepOutcome.AlreadyClaimed.class));
        assertThat(codebuild.buildIds()).hasSize(2);
        var retry = codebuild.startRequests().get(1);
        assertThat(retry.path("projectName").asText()).isEqualTo(PROJECT);
        assertThat(retry.path("sourceVersion").asText()).isEqualTo("refs/heads/main");
        assertThat(retry.path("buildspecOverride").asText()).isEqualTo("buildspec-rebuild.yml");
        assertThat(retry.path("environmentVariablesOverride").toString())
                .contains("{\"name\":\"GATEHOUSE_ATTEMPT\",\"value\":\"2\",\"type\":\"PLAINTEXT\"}")
                .contains(BASE + "@" + BASE_2);
        assertThat(published()).containsExactly("Rebuild Started", "Rebuild Failed", "Rebuild Started");
        assertThat(events.events().get(1).detailJson()).contains("CodeBuild build FAILED in phase BUILD").contains("retrying");
    }

    @Test
    void theLastAttemptFailingIsRecordedAsFailedAndPublishedNeverDropped() throws Exception {
        String first = startRebuild();
        handle(codebuild.finish(first, "FAILED", null));
        String second = codebuild.buildIds().get(1);

        CodeBuildStateChanges.Outcome outcome = handle(codebuild.finish(second, "TIMED_OUT", null));

        assertThat(outcome).isInstanceOfSatisfying(CodeBuildStateChanges.Handled.class, h -> {
            assertThat(h.outcome()).isInstanceOfSatisfying(StepOutcome.Failed.class, f -> assertThat(f.reasons()).singleElement()
                    .asString().startsWith("attempt 2: CodeBuild build TIMED_OUT"));
            assertThat(h.toJson().path("outcome").asText()).isEqualTo("failed");
        });
        assertThat(codebuild.buildIds()).hasSize(2);
        assertThat(events.events().get(events.events().size() - 1).detailType()).isEqualTo("Rebuild Failed");
        assertThat(events.events().get(events.events().size() - 1).detailJson()).contains("giving up after 2 attempts");
    }

    @Test
    void aSucceededBuildIsReadFromCodeBuildRecordedAndHandedToTheAfterBuildListenersOnce() throws Exception {
        String first = startRebuild();
        String succeeded = codebuild.finish(first, "SUCCEEDED", APP_2.toString());

        CodeBuildStateChanges.Outcome outcome = handle(succeeded);
        handle(succeeded);

        assertThat(outcome).isInstanceOfSatisfying(CodeBuildStateChanges.Handled.class,
                h -> assertThat(h.toJson().path("digest").asText()).isEqualTo(APP_2.toString()));
        assertThat(codebuild.targets()).contains("CodeBuild_20161006.BatchGetBuilds");
        assertThat(built).containsExactly(catalog.target(APP).orElseThrow().definition() + " pushed " + APP + "@" + APP_2 + " on "
                + BASE + "@" + BASE_2);
        assertThat(graph.dependentsOfDigest(BASE, BASE_2)).extracting(e -> e.image().digest()).containsExactly(APP_2);
        assertThat(published()).containsExactly("Rebuild Started", "Rebuild Succeeded");
    }

    @Test
    void aSucceededBuildThatExportedNoDigestCountsAsAFailedAttempt() throws Exception {
        String first = startRebuild();

        CodeBuildStateChanges.Outcome outcome = handle(codebuild.finish(first, "SUCCEEDED", null));

        assertThat(outcome).isInstanceOfSatisfying(CodeBuildStateChanges.Handled.class,
                h -> assertThat(h.outcome()).isInstanceOf(StepOutcome.Started.class));
        assertThat(events.events().get(1).detailJson()).contains("did not export GATEHOUSE_PUSHED_DIGEST");
        assertThat(built).isEmpty();
    }

    @Test
    void buildsGatehouseDidNotStartForTheCatalogAreRefusedAndStartNothing() throws Exception {
        String first = startRebuild();
        String event = codebuild.finish(first, "FAILED", null);

        catalog = catalog("targets: []");
        assertThat(handle(event)).isInstanceOfSatisfying(CodeBuildStateChanges.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(APP + " is not in the rebuild catalog"));
        catalog = catalog("""
                targets:
                  - {repository: %s, tag: "1.4", base: %s:2026.11, codebuild: {project: gatehouse-rebuild-other}}
                """.formatted(APP, BASE));
        assertThat(handle(event)).isInstanceOfSatisfying(CodeBuildStateChanges.Refused.class,
                r -> assertThat(r.reason()).contains("with CodeBuild project " + PROJECT));
        catalog = catalog("""
                targets:
                  - {repository: %s, tag: "1.4", base: %s/other:2026.11, codebuild: {project: %s}}
                """.formatted(APP, REGISTRY, PROJECT));
        assertThat(handle(event)).isInstanceOfSatisfying(CodeBuildStateChanges.Refused.class,
                r -> assertThat(r.reason()).contains("not on " + BASE + ":2026.11"));
        String foreign = event.replace("GATEHOUSE_BASE_DIGEST", "OTHER_VARIABLE");
        assertThat(handle(foreign)).isInstanceOfSatisfying(CodeBuildStateChanges.Refused.class,
                r -> assertThat(r.reason()).contains("not started by Gatehouse"));

        assertThat(codebuild.buildIds()).hasSize(1);
        assertThat(log).anyMatch(l -> l.contains("refused"));
    }

    @Test
    void anEventThatCodeBuildDoesNotConfirmYetFailsSoItIsDeliveredAgain() throws Exception {
        String first = startRebuild();
        String claimsFailure = codebuild.event(first).replace("\"build-status\":\"IN_PROGRESS\"", "\"build-status\":\"FAILED\"");

        assertThatThrownBy(() -> handle(claimsFailure)).isInstanceOf(BuildRunner.BuildException.class).hasMessageContaining("delivered again");

        assertThat(handle(codebuild.finish(first, "FAILED", null))).isInstanceOfSatisfying(CodeBuildStateChanges.Handled.class,
                h -> assertThat(h.outcome()).isInstanceOf(StepOutcome.Started.class));
    }

    @Test
    void inProgressEventsAreIgnoredAndMalformedOnesRefusedWithTheirPlace() throws Exception {
        String first = startRebuild();
        assertThat(handle(codebuild.event(first))).isInstanceOf(CodeBuildStateChanges.Ignored.class);
        String finished = codebuild.finish(first, "FAILED", null);

        assertThatThrownBy(() -> handle(finished.replace("build/" + PROJECT + ":", "build/another-project:")))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("/detail/build-id");
        assertThatThrownBy(() -> handle(finished.replace("\"FAILED\"", "\"EXPLODED\"")))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("/detail/build-status");
        assertThatThrownBy(() -> handle(finished.replace("\"project-name\":\"" + PROJECT, "\"project-name\":\"a\\nb")))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("/detail/project-name");
        assertThatThrownBy(() -> handle("{\"source\":\"aws.codebuild\",\"detail-type\":\"CodeBuild Build State Change\",\"detail\":"
                + "[".repeat(10_000))).isInstanceOf(MalformedInputException.class);
        assertThat(codebuild.buildIds()).hasSize(1);
    }

}
