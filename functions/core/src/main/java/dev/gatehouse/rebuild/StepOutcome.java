package dev.gatehouse.rebuild;

import dev.gatehouse.ports.BuildRunner;
import java.util.List;

/** What became of one step of a rebuild plan. */
public sealed interface StepOutcome {

    RebuildPlan.Step step();

    /** Built and pushed, after {@code attempts} attempts. */
    record Built(RebuildPlan.Step step, BuildRunner.Succeeded result, int attempts) implements StepOutcome {}

    /** Started and still running (a remote runner); its end arrives as an event ({@link Rebuilder#onFinished}). */
    record Started(RebuildPlan.Step step, BuildRunner.BuildRequest request, String buildId) implements StepOutcome {}

    /** Every attempt failed; each reason in order. */
    record Failed(RebuildPlan.Step step, List<String> reasons) implements StepOutcome {
        public Failed {
            reasons = List.copyOf(reasons);
        }
    }

    /** An attempt was stopped by someone (CodeBuild StopBuild): not retried; earlier failed attempts in {@code reasons}. */
    record Stopped(RebuildPlan.Step step, String buildId, String reason, List<String> reasons) implements StepOutcome {
        public Stopped {
            reasons = List.copyOf(reasons);
        }
    }

    /** This build (same target, same base digest) was already claimed: a replayed event, or another trigger got there first. */
    record AlreadyClaimed(RebuildPlan.Step step) implements StepOutcome {}

    /** The repository's rebuild rate limit is used up; the claim is released so a later trigger can build it. */
    record RateLimited(RebuildPlan.Step step) implements StepOutcome {}

    /** Not built: its base was not rebuilt, or it waits for its base's push ({@code reason}). */
    record NotRun(RebuildPlan.Step step, String reason) implements StepOutcome {}
}
