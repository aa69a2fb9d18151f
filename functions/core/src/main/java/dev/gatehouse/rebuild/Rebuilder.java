package dev.gatehouse.rebuild;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.ports.EventPublisher;
import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.ports.ImageGraph;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Carries out a rebuild plan with a {@link BuildRunner}. Each build (target on one base digest) is
 * claimed once in the idempotency store, so a replayed event starts no second build; builds are
 * rate-limited per repository; a failed build is retried up to {@code maxAttempts} and every
 * attempt, failure and give-up is published as an event (never silently dropped). A pushed
 * rebuild is recorded in the image graph on the base digest Gatehouse pinned, and handed to the
 * {@link BuiltImageListener}s.
 */
public final class Rebuilder {

    public static final String EVENT_SOURCE = "dev.gatehouse.rebuild";
    /** Environment every build gets, so a build (and a CodeBuild event) says what it is. */
    public static final String ENV_BASE_IMAGE = "GATEHOUSE_BASE_IMAGE";
    public static final String ENV_BASE_DIGEST = "GATEHOUSE_BASE_DIGEST";
    public static final String ENV_BASE_NAME = "GATEHOUSE_BASE_NAME";
    public static final String ENV_TARGET_REPOSITORY = "GATEHOUSE_TARGET_REPOSITORY";
    public static final String ENV_TARGET_TAG = "GATEHOUSE_TARGET_TAG";
    public static final String ENV_ATTEMPT = "GATEHOUSE_ATTEMPT";
    static final Duration CLAIM_TTL = Duration.ofDays(7);
    static final Duration POLL = Duration.ofSeconds(2);
    /** Waits between attempts whose StartBuild failed (throttling, an outage): doubling from the first, at most the last. */
    static final Duration START_BACKOFF_FIRST = Duration.ofSeconds(2);
    static final Duration START_BACKOFF_MAX = Duration.ofSeconds(30);

    /** How the rebuilder waits; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    private final BuildRunner runner;
    private final ImageGraph graph;
    private final IdempotencyKeys keys;
    private final EventPublisher events;
    private final RebuildSettings settings;
    private final RepositoryRateLimit rateLimit;
    private final Clock clock;
    private final Consumer<String> log;
    private final List<BuiltImageListener> afterBuild;
    private final Sleeper sleeper;

    public Rebuilder(BuildRunner runner, ImageGraph graph, IdempotencyKeys keys, EventPublisher events, RebuildSettings settings, Clock clock,
                     Consumer<String> log, List<BuiltImageListener> afterBuild) {
        this(runner, graph, keys, events, settings, clock, log, afterBuild, Sleeper.SYSTEM);
    }

    public Rebuilder(BuildRunner runner, ImageGraph graph, IdempotencyKeys keys, EventPublisher events, RebuildSettings settings, Clock clock,
                     Consumer<String> log, List<BuiltImageListener> afterBuild, Sleeper sleeper) {
        this.sleeper = sleeper;
        this.runner = runner;
        this.graph = graph;
        this.keys = keys;
        this.events = events;
        this.settings = settings;
        this.rateLimit = new RepositoryRateLimit(keys, settings.buildsPerRepository(), settings.rateWindow(), clock);
        this.clock = clock;
        this.log = log;
        this.afterBuild = List.copyOf(afterBuild);
    }

    /**
     * Runs every step in order, waiting for each build; a step whose base step did not build is
     * not run. For the command line and CI.
     */
    public List<StepOutcome> runAll(RebuildPlan plan, RebuildCatalog catalog) throws InterruptedException {
        return execute(plan, catalog, true);
    }

    /**
     * Starts the steps built directly on the trigger's digest. Deeper steps are left to the push of
     * their rebuilt base, whose verification triggers them in turn (so a base is always verified
     * before anything is built on it). A runner that finishes within {@code start} (buildah) is
     * followed to the end here, retries included; a remote one reports through {@link #onFinished}.
     */
    public List<StepOutcome> startDirect(RebuildPlan plan, RebuildCatalog catalog) throws InterruptedException {
        return execute(plan, catalog, false);
    }

    private List<StepOutcome> execute(RebuildPlan plan, RebuildCatalog catalog, boolean followAll) throws InterruptedException {
        List<StepOutcome> outcomes = new ArrayList<>();
        Map<Integer, StepOutcome> byOrder = new HashMap<>();
        for (RebuildPlan.Step step : plan.steps()) {
            StepOutcome outcome;
            BuildRunner.BaseImage base = null;
            String notRun = null;
            if (step.baseStep() == 0) {
                base = new BuildRunner.BaseImage(step.baseRepository(), step.baseTag(), plan.trigger().baseDigest());
            } else if (!followAll) {
                notRun = "waits for the push of its rebuilt base " + step.baseRepository() + " (step " + step.baseStep() + ")";
            } else if (byOrder.get(step.baseStep()) instanceof StepOutcome.Built built) {
                base = new BuildRunner.BaseImage(step.baseRepository(), step.baseTag(), built.result().pushedDigest());
            } else {
                notRun = "its base " + step.baseRepository() + " (step " + step.baseStep() + ") was not rebuilt";
            }
            var target = catalog.target(step.repository());
            if (notRun == null && target.isEmpty()) {
                notRun = "no longer in the rebuild catalog";
            }
            if (notRun != null) {
                outcome = new StepOutcome.NotRun(step, notRun);
                if (step.baseStep() != 0 && followAll) {
                    publish("Rebuild Not Run", step, null, 0, notRun);
                }
            } else {
                outcome = build(step, target.get(), base, followAll);
            }
            outcomes.add(outcome);
            byOrder.put(step.order(), outcome);
        }
        return outcomes;
    }

    private StepOutcome build(RebuildPlan.Step step, RebuildTarget target, BuildRunner.BaseImage base, boolean wait) throws InterruptedException {
        String claim = claimKey(target, base);
        if (!keys.claim(claim, CLAIM_TTL)) {
            log.accept("rebuild: " + target.reference() + " on " + base.pinned() + " already claimed; not started again");
            return new StepOutcome.AlreadyClaimed(step);
        }
        if (!rateLimit.tryAcquire(target.repository())) {
            keys.release(claim);
            publish("Rebuild Rate Limited", step, base, 0, "more than " + settings.buildsPerRepository() + " rebuilds of "
                    + target.repository() + " in " + settings.rateWindow() + "; a later trigger builds it");
            return new StepOutcome.RateLimited(step);
        }
        BuildRunner.BuildRequest request = request(target, base, 1);
        return attempt(step, request, new ArrayList<>(), wait);
    }

    private StepOutcome attempt(RebuildPlan.Step step, BuildRunner.BuildRequest request, List<String> reasons, boolean wait)
            throws InterruptedException {
        while (true) {
            BuildRunner.BuildStatus status;
            String buildId = null;
            try {
                buildId = runner.start(request);
                publish("Rebuild Started", step, request.base(), request.attempt(), buildId);
                status = wait ? runner.await(buildId, settings.buildTimeout(), POLL) : runner.status(buildId);
            } catch (BuildRunner.BuildException e) {
                status = new BuildRunner.Failed(buildId == null ? "" : buildId, e.getMessage(), "");
            }
            if (status instanceof BuildRunner.Running) {
                return new StepOutcome.Started(step, request, buildId);
            }
            StepOutcome finished = finished(step, request, status, reasons);
            if (finished != null) {
                return finished;
            }
            if (buildId == null) {
                // The runner refused to start it (throttled, down): starting again at once would only be refused again.
                sleeper.sleep(startBackoff(request.attempt()));
            }
            request = request(request, request.attempt() + 1);
        }
    }

    /**
     * A remote build finished (CodeBuild's state-change event, with the request read back from the
     * build's environment): records it, and starts the next attempt when it failed and attempts are
     * left. Returns what became of it. The end of each build is claimed once, so a replayed event
     * records nothing twice and starts no second retry; when recording fails the claim is released
     * and the exception thrown, so the event's redelivery can finish the job.
     */
    public StepOutcome onFinished(BuildRunner.BuildRequest request, BuildRunner.BuildStatus status) throws InterruptedException {
        RebuildPlan.Step step = new RebuildPlan.Step(0, request.targetRepository(), request.targetTag(), 0, request.base().repository(),
                request.base().tag(), 0, List.of(), "build " + status.buildId() + " finished");
        if (status instanceof BuildRunner.Running) {
            return new StepOutcome.Started(step, request, status.buildId());
        }
        String claim = finishedKey(status.buildId());
        if (!keys.claim(claim, CLAIM_TTL)) {
            log.accept("rebuild: the end of build " + status.buildId() + " was already handled; nothing done again");
            return new StepOutcome.AlreadyClaimed(step);
        }
        try {
            List<String> reasons = new ArrayList<>();
            StepOutcome finished = finished(step, request, status, reasons);
            return finished != null ? finished : attempt(step, request(request, request.attempt() + 1), reasons, false);
        } catch (RuntimeException e) {
            keys.release(claim);
            throw e;
        }
    }

    static String finishedKey(String buildId) {
        return "rebuild-finished:" + Digest.sha256(buildId.getBytes(StandardCharsets.UTF_8)).hex();
    }

    /** The outcome of a finished attempt, or null when it failed and another attempt is due. */
    private StepOutcome finished(RebuildPlan.Step step, BuildRunner.BuildRequest request, BuildRunner.BuildStatus status, List<String> reasons) {
        if (status instanceof BuildRunner.Succeeded ok) {
            graph.record(new ImageGraph.Edge(new ImageGraph.ImageRef(request.targetRepository(), ok.pushedDigest()),
                    new ImageGraph.BaseRef(request.base().repository(), request.base().tag(), request.base().digest()), clock.instant()));
            publish("Rebuild Succeeded", step, request.base(), request.attempt(), ok.buildId() + " pushed " + ok.pushedDigest());
            for (BuiltImageListener listener : afterBuild) {
                try {
                    listener.onBuilt(request, ok);
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        // The build is recorded either way; whoever interrupted still has to see it.
                        Thread.currentThread().interrupt();
                    }
                    log.accept("rebuild: after-build listener failed for " + request.target() + "@" + ok.pushedDigest() + ": " + e.getMessage());
                }
            }
            return new StepOutcome.Built(step, ok, request.attempt());
        }
        if (status instanceof BuildRunner.Stopped stopped) {
            publish("Rebuild Stopped", step, request.base(), request.attempt(), stopped.buildId() + ": " + stopped.reason()
                    + "; not retried (a stop is someone's decision)");
            return new StepOutcome.Stopped(step, stopped.buildId(), stopped.reason(), reasons);
        }
        BuildRunner.Failed failed = (BuildRunner.Failed) status;
        reasons.add("attempt " + request.attempt() + ": " + failed.reason());
        boolean retry = request.attempt() < settings.maxAttempts();
        publish("Rebuild Failed", step, request.base(), request.attempt(), failed.reason()
                + (retry ? "; retrying" : "; giving up after " + request.attempt() + " attempts"));
        return retry ? null : new StepOutcome.Failed(step, reasons);
    }

    /** The wait after the StartBuild of {@code attempt} failed. */
    static Duration startBackoff(int attempt) {
        Duration wait = START_BACKOFF_FIRST.multipliedBy(1L << Math.min(attempt - 1, 16));
        return wait.compareTo(START_BACKOFF_MAX) > 0 ? START_BACKOFF_MAX : wait;
    }

    static String claimKey(RebuildTarget target, BuildRunner.BaseImage base) {
        String what = target.reference() + " on " + base.pinned();
        return "rebuild:" + Digest.sha256(what.getBytes(StandardCharsets.UTF_8)).hex();
    }

    private static BuildRunner.BuildRequest request(RebuildTarget target, BuildRunner.BaseImage base, int attempt) {
        Map<String, String> env = Map.of(
                ENV_BASE_IMAGE, base.pinned(),
                ENV_BASE_DIGEST, base.digest().toString(),
                ENV_BASE_NAME, base.name(),
                ENV_TARGET_REPOSITORY, target.repository(),
                ENV_TARGET_TAG, target.tag(),
                ENV_ATTEMPT, Integer.toString(attempt));
        return new BuildRunner.BuildRequest(target.definition(), base, target.repository(), target.tag(), env, attempt);
    }

    private static BuildRunner.BuildRequest request(BuildRunner.BuildRequest previous, int attempt) {
        Map<String, String> env = new HashMap<>(previous.environment());
        env.put(ENV_ATTEMPT, Integer.toString(attempt));
        return new BuildRunner.BuildRequest(previous.definition(), previous.base(), previous.targetRepository(), previous.targetTag(), env, attempt);
    }

    private void publish(String type, RebuildPlan.Step step, BuildRunner.BaseImage base, int attempt, String detail) {
        ObjectNode n = UntrustedJson.mapper().createObjectNode();
        n.put("repository", step.repository());
        n.put("tag", step.tag());
        n.put("step", step.order());
        if (base != null) {
            n.put("base", base.pinned());
        }
        if (attempt > 0) {
            n.put("attempt", attempt);
            n.put("max_attempts", settings.maxAttempts());
        }
        n.put("detail", detail.length() > 2000 ? detail.substring(0, 2000) : detail);
        log.accept("rebuild: " + type + " " + step.repository() + ":" + step.tag() + (attempt > 0 ? " attempt " + attempt : "") + ": " + detail);
        try {
            events.publish(new EventPublisher.Event(EVENT_SOURCE, type, n.toString()));
        } catch (RuntimeException e) {
            log.accept("rebuild: could not publish '" + type + "' for " + step.repository() + ": " + e.getMessage());
        }
    }
}
