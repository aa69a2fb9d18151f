package dev.gatehouse.rebuild;

import static dev.gatehouse.rebuild.RebuildFixtures.REGISTRY;
import static dev.gatehouse.rebuild.RebuildFixtures.digest;
import static dev.gatehouse.rebuild.RebuildFixtures.input;
import static dev.gatehouse.rebuild.RebuildFixtures.verified;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.ports.EventPublisher;
import dev.gatehouse.ports.local.InMemoryIdempotencyKeys;
import dev.gatehouse.ports.local.InMemoryImageGraph;
import dev.gatehouse.ports.local.RecordingEventPublisher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rebuild executor over a scripted runner; BuildahRunnerTest and the end-to-end test run real builds. */
class RebuilderTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    final InMemoryImageGraph graph = new InMemoryImageGraph();
    final InMemoryIdempotencyKeys keys = new InMemoryIdempotencyKeys(Clock.fixed(T0, ZoneOffset.UTC));
    final RecordingEventPublisher events = new RecordingEventPublisher(1000);
    final ScriptedRunner runner = new ScriptedRunner();
    final List<RebuildTarget> targets = new ArrayList<>();
    final List<String> built = new ArrayList<>();
    int tick;

    /** Fails a target's first {@code failures} builds, then pushes a digest derived from target and base. */
    static final class ScriptedRunner implements BuildRunner {
        final Map<String, Integer> failures = new HashMap<>();
        final Map<String, BuildStatus> builds = new HashMap<>();
        final List<BuildRequest> started = new ArrayList<>();

        @Override
        public String start(BuildRequest request) {
            started.add(request);
            String id = "b" + started.size();
            int left = failures.getOrDefault(request.targetRepository(), 0);
            if (left > 0) {
                failures.put(request.targetRepository(), left - 1);
                builds.put(id, new Failed(id, "RUN step exited 1", "tail"));
            } else {
                builds.put(id, new Succeeded(id, request.targetRepository(), request.targetTag(),
                        digest(request.targetRepository() + " on " + request.base().pinned()), request.base(), T0));
            }
            return id;
        }

        @Override
        public BuildStatus status(String buildId) {
            return builds.get(buildId);
        }
    }

    static String repo(String name) {
        return REGISTRY + "/" + name;
    }

    void target(String name, String baseName, String baseTag) {
        targets.add(new RebuildTarget(repo(name), "1", ImageReference.parse(repo(baseName) + ":" + baseTag),
                new BuildDefinition.Containerfile(Path.of("/src/Containerfile"), Path.of("/src"))));
    }

    void recorded(String name, String imageSeed, String baseName, String tag, String baseSeed) {
        new ImageGraphRecorder(graph, s -> { }).onVerified(verified(name, digest(imageSeed), "1",
                input(true, repo(baseName) + ":" + tag, digest(baseSeed)), Decision.Outcome.ALLOW, T0.plusSeconds(tick++)));
    }

    RebuildCatalog catalog(RebuildSettings settings) {
        return new RebuildCatalog(targets, settings);
    }

    Rebuilder rebuilder(RebuildSettings settings) {
        return new Rebuilder(runner, graph, keys, events, settings, Clock.fixed(T0.plusSeconds(1000), ZoneOffset.UTC), s -> { },
                List.of((request, result) -> built.add(result.repository() + "@" + result.pushedDigest() + " on " + result.base().digest())));
    }

    RebuildPlan plan(RebuildCatalog catalog) {
        return new RebuildPlanner(graph, catalog).forNewBase(repo("base"), "latest", digest("base-2"));
    }

    List<String> eventTypes() {
        return events.events().stream().map(EventPublisher.Event::detailType).toList();
    }

    @Test
    void runAllBuildsEachStepOnTheDigestItsBaseStepPushed() throws Exception {
        target("custom", "base", "latest");
        target("app", "custom", "1");
        recorded("custom", "custom-1", "base", "latest", "base-1");
        recorded("app", "app-1", "custom", "1", "custom-1");
        RebuildCatalog catalog = catalog(RebuildSettings.DEFAULTS);

        List<StepOutcome> outcomes = rebuilder(RebuildSettings.DEFAULTS).runAll(plan(catalog), catalog);

        assertThat(outcomes).allMatch(o -> o instanceof StepOutcome.Built);
        var customBuilt = ((StepOutcome.Built) outcomes.get(0)).result();
        assertThat(runner.started.get(1).base().digest()).isEqualTo(customBuilt.pushedDigest());
        assertThat(runner.started.get(0).environment()).containsEntry(Rebuilder.ENV_BASE_DIGEST, digest("base-2").toString())
                .containsEntry(Rebuilder.ENV_TARGET_REPOSITORY, repo("custom"));
        assertThat(graph.dependentsOfDigest(repo("base"), digest("base-2"))).extracting(e -> e.image().digest())
                .containsExactly(customBuilt.pushedDigest());
        assertThat(built).hasSize(2);
    }

    @Test
    void aReplayedTriggerStartsNoSecondBuild() throws Exception {
        target("custom", "base", "latest");
        recorded("custom", "custom-1", "base", "latest", "base-1");
        RebuildCatalog catalog = catalog(RebuildSettings.DEFAULTS);
        RebuildPlan plan = plan(catalog);

        rebuilder(RebuildSettings.DEFAULTS).startDirect(plan, catalog);
        List<StepOutcome> replay = rebuilder(RebuildSettings.DEFAULTS).startDirect(plan, catalog);

        assertThat(runner.started).hasSize(1);
        assertThat(replay).singleElement().isInstanceOf(StepOutcome.AlreadyClaimed.class);
    }

    @Test
    void aFailingBuildIsRetriedWithinLimitsAndEveryFailureRecorded() throws Exception {
        target("custom", "base", "latest");
        recorded("custom", "custom-1", "base", "latest", "base-1");
        runner.failures.put(repo("custom"), 2);
        RebuildCatalog catalog = catalog(RebuildSettings.DEFAULTS);

        List<StepOutcome> outcomes = rebuilder(RebuildSettings.DEFAULTS).runAll(plan(catalog), catalog);

        assertThat(outcomes).singleElement().isInstanceOfSatisfying(StepOutcome.Built.class, b -> assertThat(b.attempts()).isEqualTo(3));
        assertThat(runner.started).extracting(BuildRunner.BuildRequest::attempt).containsExactly(1, 2, 3);
        assertThat(eventTypes()).containsExactly("Rebuild Started", "Rebuild Failed", "Rebuild Started", "Rebuild Failed",
                "Rebuild Started", "Rebuild Succeeded");
    }

    @Test
    void aBuildThatKeepsFailingGivesUpAfterMaxAttemptsAndItsDependentsAreNotRun() throws Exception {
        target("custom", "base", "latest");
        target("app", "custom", "1");
        recorded("custom", "custom-1", "base", "latest", "base-1");
        recorded("app", "app-1", "custom", "1", "custom-1");
        runner.failures.put(repo("custom"), 99);
        RebuildSettings settings = new RebuildSettings(2, 10, Duration.ofHours(1), 100, Duration.ofMinutes(5));
        RebuildCatalog catalog = catalog(settings);

        List<StepOutcome> outcomes = rebuilder(settings).runAll(plan(catalog), catalog);

        assertThat(outcomes.get(0)).isInstanceOfSatisfying(StepOutcome.Failed.class,
                f -> assertThat(f.reasons()).containsExactly("attempt 1: RUN step exited 1", "attempt 2: RUN step exited 1"));
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(StepOutcome.NotRun.class,
                n -> assertThat(n.reason()).contains("was not rebuilt"));
        assertThat(runner.started).hasSize(2);
        assertThat(events.events().get(3).detailJson()).contains("giving up after 2 attempts");
        assertThat(eventTypes()).contains("Rebuild Not Run");
    }

    @Test
    void buildsBeyondTheRepositoryRateLimitAreDeferredAndReleased() throws Exception {
        target("custom", "base", "latest");
        recorded("custom", "custom-1", "base", "latest", "base-1");
        RebuildSettings settings = new RebuildSettings(3, 1, Duration.ofHours(1), 100, Duration.ofMinutes(5));
        RebuildCatalog catalog = catalog(settings);
        Rebuilder rebuilder = rebuilder(settings);
        rebuilder.startDirect(new RebuildPlanner(graph, catalog).forNewBase(repo("base"), "latest", digest("base-2")), catalog);

        List<StepOutcome> second = rebuilder.startDirect(
                new RebuildPlanner(graph, catalog).forNewBase(repo("base"), "latest", digest("base-3")), catalog);

        assertThat(second).singleElement().isInstanceOf(StepOutcome.RateLimited.class);
        assertThat(eventTypes()).contains("Rebuild Rate Limited");
        assertThat(runner.started).hasSize(1);
    }

    @Test
    void startDirectLeavesDeeperStepsToThePushOfTheirRebuiltBase() throws Exception {
        target("custom", "base", "latest");
        target("app", "custom", "1");
        recorded("custom", "custom-1", "base", "latest", "base-1");
        recorded("app", "app-1", "custom", "1", "custom-1");
        RebuildCatalog catalog = catalog(RebuildSettings.DEFAULTS);

        List<StepOutcome> outcomes = rebuilder(RebuildSettings.DEFAULTS).startDirect(plan(catalog), catalog);

        assertThat(outcomes.get(0)).isInstanceOf(StepOutcome.Built.class);
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(StepOutcome.NotRun.class, n -> assertThat(n.reason()).contains("waits for the push"));
    }

    @Test
    void theTriggerRebuildsOnAnAllowedNewBaseOnlyAndIgnoresADeniedOne() throws Exception {
        target("custom", "base", "latest");
        recorded("custom", "custom-1", "base", "latest", "base-1");
        RebuildCatalog catalog = catalog(RebuildSettings.DEFAULTS);
        List<String> log = new ArrayList<>();
        RebuildTrigger trigger = new RebuildTrigger(graph, () -> catalog, rebuilder(RebuildSettings.DEFAULTS), log::add);

        trigger.onVerified(verified("base", digest("base-2"), "latest", input(true, null, null), Decision.Outcome.DENY, T0));
        assertThat(runner.started).isEmpty();
        assertThat(log).anyMatch(l -> l.contains("policy denied it"));

        trigger.onVerified(verified("base", digest("base-2"), "latest", input(true, null, null), Decision.Outcome.ALLOW, T0));
        trigger.onVerified(verified("base", digest("base-2"), "latest", input(true, null, null), Decision.Outcome.ALLOW, T0));
        assertThat(runner.started).hasSize(1);
    }

    /** A runner like CodeBuild: builds run elsewhere and are still running when {@code start} returns. */
    static final class RemoteRunner implements BuildRunner {
        final List<BuildRequest> started = new ArrayList<>();

        @Override
        public String start(BuildRequest request) {
            started.add(request);
            return "remote:" + started.size();
        }

        @Override
        public BuildStatus status(String buildId) {
            return new Running(buildId, "QUEUED");
        }
    }

    Rebuilder remoteRebuilder(RemoteRunner remote, RebuildSettings settings) {
        return new Rebuilder(remote, graph, keys, events, settings, Clock.fixed(T0.plusSeconds(1000), ZoneOffset.UTC), s -> { },
                List.of((request, result) -> built.add(result.repository() + "@" + result.pushedDigest() + " on " + result.base().digest())));
    }

    BuildRunner.BuildRequest startedRemotely(RemoteRunner remote, RebuildSettings settings) throws Exception {
        target("custom", "base", "latest");
        recorded("custom", "custom-1", "base", "latest", "base-1");
        RebuildCatalog catalog = catalog(settings);
        assertThat(remoteRebuilder(remote, settings).startDirect(plan(catalog), catalog)).singleElement().isInstanceOf(StepOutcome.Started.class);
        return remote.started.get(0);
    }

    @Test
    void aRemoteBuildThatFailedStartsTheNextAttemptOnceEvenWhenItsEndIsReplayed() throws Exception {
        RemoteRunner remote = new RemoteRunner();
        BuildRunner.BuildRequest first = startedRemotely(remote, RebuildSettings.DEFAULTS);
        Rebuilder rebuilder = remoteRebuilder(remote, RebuildSettings.DEFAULTS);
        BuildRunner.Failed failed = new BuildRunner.Failed("remote:1", "CodeBuild build FAILED in phase BUILD", "");

        StepOutcome outcome = rebuilder.onFinished(first, failed);
        StepOutcome replay = rebuilder.onFinished(first, failed);

        assertThat(outcome).isInstanceOfSatisfying(StepOutcome.Started.class, s -> assertThat(s.request().attempt()).isEqualTo(2));
        assertThat(replay).isInstanceOf(StepOutcome.AlreadyClaimed.class);
        assertThat(remote.started).extracting(BuildRunner.BuildRequest::attempt).containsExactly(1, 2);
        assertThat(remote.started.get(1).environment()).containsEntry(Rebuilder.ENV_ATTEMPT, "2")
                .containsEntry(Rebuilder.ENV_BASE_DIGEST, first.base().digest().toString());
        assertThat(eventTypes()).containsExactly("Rebuild Started", "Rebuild Failed", "Rebuild Started");
    }

    @Test
    void aRemoteBuildThatFailedItsLastAttemptIsRecordedAsFailedAndPublished() throws Exception {
        RemoteRunner remote = new RemoteRunner();
        RebuildSettings twoAttempts = new RebuildSettings(2, 10, Duration.ofHours(1), 100, Duration.ofMinutes(5));
        BuildRunner.BuildRequest first = startedRemotely(remote, twoAttempts);
        Rebuilder rebuilder = remoteRebuilder(remote, twoAttempts);
        StepOutcome second = rebuilder.onFinished(first, new BuildRunner.Failed("remote:1", "CodeBuild build FAILED", ""));
        BuildRunner.BuildRequest retried = ((StepOutcome.Started) second).request();

        StepOutcome last = rebuilder.onFinished(retried, new BuildRunner.Failed("remote:2", "CodeBuild build TIMED_OUT", ""));

        assertThat(last).isInstanceOfSatisfying(StepOutcome.Failed.class,
                f -> assertThat(f.reasons()).containsExactly("attempt 2: CodeBuild build TIMED_OUT"));
        assertThat(remote.started).hasSize(2);
        assertThat(events.events().get(events.events().size() - 1).detailJson()).contains("giving up after 2 attempts");
    }

    @Test
    void aRemoteBuildThatSucceededIsRecordedInTheGraphAndHandedToTheAfterBuildListenersOnce() throws Exception {
        RemoteRunner remote = new RemoteRunner();
        BuildRunner.BuildRequest first = startedRemotely(remote, RebuildSettings.DEFAULTS);
        Rebuilder rebuilder = remoteRebuilder(remote, RebuildSettings.DEFAULTS);
        BuildRunner.Succeeded ok = new BuildRunner.Succeeded("remote:1", first.targetRepository(), first.targetTag(), digest("custom-2"),
                first.base(), T0);

        assertThat(rebuilder.onFinished(first, ok)).isInstanceOf(StepOutcome.Built.class);
        assertThat(rebuilder.onFinished(first, ok)).isInstanceOf(StepOutcome.AlreadyClaimed.class);

        assertThat(built).containsExactly(repo("custom") + "@" + digest("custom-2") + " on " + digest("base-2"));
        assertThat(graph.dependentsOfDigest(repo("base"), digest("base-2"))).extracting(e -> e.image().digest())
                .containsExactly(digest("custom-2"));
        assertThat(remote.started).hasSize(1);
    }

    @Test
    void aRemoteBuildThatWasStoppedIsRecordedAsStoppedAndNotRetried() throws Exception {
        RemoteRunner remote = new RemoteRunner();
        BuildRunner.BuildRequest first = startedRemotely(remote, RebuildSettings.DEFAULTS);
        Rebuilder rebuilder = remoteRebuilder(remote, RebuildSettings.DEFAULTS);

        StepOutcome outcome = rebuilder.onFinished(first, new BuildRunner.Stopped("remote:1", "CodeBuild build STOPPED in phase BUILD"));

        assertThat(outcome).isInstanceOfSatisfying(StepOutcome.Stopped.class, s -> {
            assertThat(s.buildId()).isEqualTo("remote:1");
            assertThat(s.reason()).isEqualTo("CodeBuild build STOPPED in phase BUILD");
        });
        assertThat(remote.started).hasSize(1);
        assertThat(eventTypes()).containsExactly("Rebuild Started", "Rebuild Stopped");
    }

    @Test
    void aRefusedStartBuildIsRetriedAfterABoundedDoublingBackoff() throws Exception {
        target("custom", "base", "latest");
        recorded("custom", "custom-1", "base", "latest", "base-1");
        List<BuildRunner.BuildRequest> tried = new ArrayList<>();
        BuildRunner refusing = new BuildRunner() {
            @Override
            public String start(BuildRequest request) throws BuildException {
                tried.add(request);
                throw new BuildException("CodeBuild StartBuild for project p failed: ThrottlingException Rate exceeded");
            }

            @Override
            public BuildStatus status(String buildId) {
                throw new AssertionError("nothing was started");
            }
        };
        List<Duration> waits = new ArrayList<>();
        RebuildSettings tenAttempts = new RebuildSettings(10, 10, Duration.ofHours(1), 100, Duration.ofMinutes(5));
        RebuildCatalog catalog = catalog(tenAttempts);
        Rebuilder rebuilder = new Rebuilder(refusing, graph, keys, events, tenAttempts, Clock.fixed(T0, ZoneOffset.UTC), s -> { },
                List.of(), waits::add);

        assertThat(rebuilder.runAll(plan(catalog), catalog)).singleElement().isInstanceOfSatisfying(StepOutcome.Failed.class,
                f -> assertThat(f.reasons()).hasSize(10));
        assertThat(tried).hasSize(10);
        // One wait between attempts, none after the last: 2, 4, 8, 16 s, then capped at 30 s.
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    @Test
    void aBuildThatRanAndFailedIsRetriedWithoutWaiting() throws Exception {
        target("custom", "base", "latest");
        recorded("custom", "custom-1", "base", "latest", "base-1");
        runner.failures.put(repo("custom"), 1);
        List<Duration> waits = new ArrayList<>();
        RebuildCatalog catalog = catalog(RebuildSettings.DEFAULTS);
        Rebuilder rebuilder = new Rebuilder(runner, graph, keys, events, RebuildSettings.DEFAULTS, Clock.fixed(T0, ZoneOffset.UTC),
                s -> { }, List.of(), waits::add);

        assertThat(rebuilder.runAll(plan(catalog), catalog)).singleElement().isInstanceOf(StepOutcome.Built.class);
        assertThat(waits).isEmpty();
    }
}
