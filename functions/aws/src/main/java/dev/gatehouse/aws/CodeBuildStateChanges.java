package dev.gatehouse.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.Printable;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.rebuild.RebuildCatalog;
import dev.gatehouse.rebuild.RebuildTarget;
import dev.gatehouse.rebuild.Rebuilder;
import dev.gatehouse.rebuild.StepOutcome;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Follows rebuilds that run in CodeBuild. A "CodeBuild Build State Change" event for a finished
 * build is checked against the rebuild catalog (the target, its base and its project must be the
 * catalog's), the build's status is asked from CodeBuild itself ({@code BatchGetBuilds}: the event
 * does not carry the exported pushed digest, and CodeBuild is the authority on its builds), and the
 * result goes to {@link Rebuilder#onFinished}, which records it, retries a failure within the
 * catalog's limits (with the catalog's build definition, so a retry builds the same thing) and hands
 * a pushed image to the after-build listeners. A build whose status cannot be read yet throws, so
 * the event is delivered again.
 */
public final class CodeBuildStateChanges {

    /** What became of one event. */
    public sealed interface Outcome {
        ObjectNode toJson();
    }

    /** Not the end of a build: in progress, or another event. */
    public record Ignored(String reason) implements Outcome {
        @Override
        public ObjectNode toJson() {
            return UntrustedJson.mapper().createObjectNode().put("result", "ignored").put("reason", reason);
        }
    }

    /** A finished build that is not a rebuild Gatehouse started for a catalog target: nothing is done. */
    public record Refused(String buildId, String reason) implements Outcome {
        @Override
        public ObjectNode toJson() {
            return UntrustedJson.mapper().createObjectNode().put("result", "refused").put("build_id", buildId).put("reason", reason);
        }
    }

    /** A rebuild's end, handled: built, retried ({@link StepOutcome.Started}), failed for good, stopped, or already handled. */
    public record Handled(String buildId, StepOutcome outcome) implements Outcome {
        @Override
        public ObjectNode toJson() {
            ObjectNode n = UntrustedJson.mapper().createObjectNode().put("result", "handled").put("build_id", buildId)
                    .put("target", outcome.step().repository() + ":" + outcome.step().tag());
            if (outcome instanceof StepOutcome.Built b) {
                n.put("outcome", "built").put("digest", b.result().pushedDigest().toString()).put("attempts", b.attempts());
            } else if (outcome instanceof StepOutcome.Started s) {
                n.put("outcome", "retried").put("attempt", s.request().attempt()).put("next_build_id", s.buildId());
            } else if (outcome instanceof StepOutcome.Failed f) {
                n.put("outcome", "failed").set("reasons", UntrustedJson.mapper().valueToTree(f.reasons()));
            } else if (outcome instanceof StepOutcome.Stopped st) {
                n.put("outcome", "stopped").put("reason", st.reason());
            } else if (outcome instanceof StepOutcome.AlreadyClaimed) {
                n.put("outcome", "already_handled");
            } else if (outcome instanceof StepOutcome.RateLimited) {
                n.put("outcome", "rate_limited");
            } else if (outcome instanceof StepOutcome.NotRun r) {
                n.put("outcome", "not_run").put("reason", r.reason());
            }
            return n;
        }
    }

    private final CodeBuildRunner runner;
    private final Supplier<RebuildCatalog> catalog;
    private final Rebuilder rebuilder;
    private final Consumer<String> log;

    public CodeBuildStateChanges(CodeBuildRunner runner, Supplier<RebuildCatalog> catalog, Rebuilder rebuilder, Consumer<String> log) {
        this.runner = runner;
        this.catalog = catalog;
        this.rebuilder = rebuilder;
        this.log = log;
    }

    /**
     * Handles one EventBridge event. Throws {@link MalformedInputException} for an event that is not
     * well formed, and {@link BuildRunner.BuildException} when CodeBuild cannot tell the build's end
     * yet (the caller fails, so the event is delivered again).
     */
    public Outcome handle(byte[] event) throws MalformedInputException, BuildRunner.BuildException, InterruptedException {
        Optional<CodeBuildRunner.FinishedBuild> finished = CodeBuildRunner.finishedBuild(event);
        if (finished.isEmpty()) {
            return new Ignored("not the end of a CodeBuild build");
        }
        CodeBuildRunner.FinishedBuild build = finished.get();
        BuildRunner.BuildRequest reported;
        try {
            reported = CodeBuildRunner.requestOf(build.projectName(), build.environment());
        } catch (BuildRunner.BuildException e) {
            return refused(build, e.getMessage());
        }
        Optional<RebuildTarget> target = catalog.get().target(reported.targetRepository());
        if (target.isEmpty()) {
            return refused(build, reported.targetRepository() + " is not in the rebuild catalog");
        }
        String mismatch = mismatch(target.get(), reported, build.projectName());
        if (mismatch != null) {
            return refused(build, mismatch);
        }
        BuildRunner.BuildStatus status = runner.status(build.buildId());
        if (status instanceof BuildRunner.Running running) {
            throw new BuildRunner.BuildException("CodeBuild still reports build " + build.buildId() + " as " + running.phase()
                    + " after its " + build.buildStatus() + " event; the event is to be delivered again");
        }
        if (status instanceof BuildRunner.Succeeded ok && !(ok.repository().equals(reported.targetRepository())
                && ok.tag().equals(reported.targetTag()) && ok.base().equals(reported.base()))) {
            return refused(build, "CodeBuild reports a build of " + ok.repository() + ":" + ok.tag() + " on " + ok.base().pinned()
                    + ", the event " + reported.target() + " on " + reported.base().pinned());
        }
        BuildRunner.BuildRequest request = new BuildRunner.BuildRequest(target.get().definition(), reported.base(),
                reported.targetRepository(), reported.targetTag(), reported.environment(), reported.attempt());
        return new Handled(build.buildId(), rebuilder.onFinished(request, status));
    }

    /** Why the catalog does not build what the event reports, or null when it does. */
    private static String mismatch(RebuildTarget target, BuildRunner.BuildRequest reported, String project) {
        if (!target.tag().equals(reported.targetTag())) {
            return "the catalog builds " + target.reference() + ", not tag " + reported.targetTag();
        }
        if (!target.base().repositoryName().equals(reported.base().repository())
                || !Objects.equals(target.base().tag(), reported.base().tag())) {
            return "the catalog builds " + target.reference() + " on " + target.base() + ", not on " + reported.base().name();
        }
        Optional<String> catalogProject = CodeBuildRunner.projectOf(target.definition());
        if (catalogProject.isEmpty() || !catalogProject.get().equals(project)) {
            return "the catalog does not build " + target.reference() + " with CodeBuild project " + project;
        }
        return null;
    }

    private Refused refused(CodeBuildRunner.FinishedBuild build, String reason) {
        String line = Printable.oneLine(reason);
        log.accept("rebuild: CodeBuild build " + build.buildId() + " (" + build.buildStatus() + ") refused: " + line);
        return new Refused(build.buildId(), line);
    }
}
