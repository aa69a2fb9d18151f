package dev.gatehouse.rebuild;

import dev.gatehouse.oci.Digest;
import java.util.List;
import java.util.Objects;

/**
 * What a base change asks to rebuild: the steps in dependency order (every step after the step
 * that rebuilds its base), the dependents that are not rebuilt and why, and the cycles found.
 */
public record RebuildPlan(Trigger trigger, List<Step> steps, List<Skipped> skipped, List<Cycle> cycles) {

    public RebuildPlan {
        Objects.requireNonNull(trigger, "trigger");
        steps = List.copyOf(steps);
        skipped = List.copyOf(skipped);
        cycles = List.copyOf(cycles);
    }

    /** Why a plan was made. */
    public sealed interface Trigger {
        /** The repository whose new digest the first steps build on. */
        String baseRepository();

        Digest baseDigest();
    }

    /** {@code repository:tag} now points at {@code digest}. */
    public record NewBaseDigest(String repository, String tag, Digest digest) implements Trigger {
        @Override
        public String baseRepository() {
            return repository;
        }

        @Override
        public Digest baseDigest() {
            return digest;
        }

        @Override
        public String toString() {
            return repository + ":" + tag + "@" + digest;
        }
    }

    /**
     * {@code image} has fixable findings that the newer digest of its base tag no longer has, so
     * rebuilding it on {@code newerBase} fixes them.
     */
    public record FixableFindings(String imageRepository, Digest imageDigest, List<String> findings, String baseRepository, String baseTag,
                                  Digest builtOn, Digest newerBase) implements Trigger {
        public FixableFindings {
            findings = List.copyOf(findings);
        }

        @Override
        public Digest baseDigest() {
            return newerBase;
        }

        @Override
        public String toString() {
            return imageRepository + "@" + imageDigest + " (" + String.join(", ", findings) + " fixed in " + baseRepository + ":" + baseTag + "@"
                    + newerBase + ")";
        }
    }

    /**
     * Rebuild {@code repository:tag} on {@code baseRepository}: on the trigger's digest when
     * {@code baseStep} is 0, else on what step {@code baseStep} pushed.
     *
     * @param order 1-based position in the plan
     * @param depth 1 for images built directly on the trigger's base
     * @param replaces the digests of this repository recorded on the old base
     */
    public record Step(int order, String repository, String tag, int depth, String baseRepository, String baseTag, int baseStep,
                       List<Digest> replaces, String reason) {
        public Step {
            replaces = List.copyOf(replaces);
        }
    }

    /** A dependent that is not rebuilt, and why. */
    public record Skipped(String repository, String reason) {}

    /** Repositories that are built on each other in a ring, in order; the first is repeated at the end. */
    public record Cycle(List<String> repositories) {
        public Cycle {
            repositories = List.copyOf(repositories);
        }

        @Override
        public String toString() {
            return String.join(" -> ", repositories);
        }
    }
}
