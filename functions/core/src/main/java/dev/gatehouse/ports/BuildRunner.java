package dev.gatehouse.ports;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.rebuild.BuildDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Runs image builds: a build definition on a pinned base digest, pushed to a target repository
 * and tag. AWS CodeBuild runs them remotely and reports through events; buildah runs them on
 * this machine. Every outcome names the pushed digest and the base digest it was built on, so the
 * result can be verified, signed and recorded in the image graph.
 */
public interface BuildRunner {

    Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** The base a build is pinned to: {@code repository} (with registry host), the tag it followed, and the digest. */
    record BaseImage(String repository, String tag, Digest digest) {
        public BaseImage {
            StoredKeys.repository(repository);
            if (tag != null) {
                StoredKeys.tag(tag);
            }
            Objects.requireNonNull(digest, "digest");
        }

        /** {@code repository@digest}, what the build's FROM is replaced with. */
        public String pinned() {
            return repository + "@" + digest;
        }

        /** {@code repository:tag}, the {@code org.opencontainers.image.base.name} annotation. */
        public String name() {
            return tag == null ? repository : repository + ":" + tag;
        }
    }

    /**
     * One build: {@code definition} on {@code base}, pushed to {@code targetRepository:targetTag};
     * {@code environment} is passed to the build (build arguments, CodeBuild environment
     * variables). {@code attempt} counts from 1 and is part of what the build reports.
     */
    record BuildRequest(BuildDefinition definition, BaseImage base, String targetRepository, String targetTag,
                        Map<String, String> environment, int attempt) {
        public BuildRequest {
            Objects.requireNonNull(definition, "definition");
            Objects.requireNonNull(base, "base");
            StoredKeys.repository(targetRepository);
            StoredKeys.tag(targetTag);
            environment = Map.copyOf(environment);
            environment.forEach((k, v) -> {
                if (!ENVIRONMENT_NAME.matcher(k).matches() || v == null || v.length() > 4096) {
                    throw new IllegalArgumentException("invalid build environment variable '" + k + "'");
                }
            });
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt counts from 1, got " + attempt);
            }
        }

        public String target() {
            return targetRepository + ":" + targetTag;
        }
    }

    /** Where a build is. */
    sealed interface BuildStatus permits Running, Succeeded, Failed, Stopped {
        String buildId();
    }

    /** Queued or in progress; {@code phase} as the runner names it. */
    record Running(String buildId, String phase) implements BuildStatus {}

    /** Built and pushed: {@code pushedDigest} is what {@code repository:tag} now points at, built on {@code base}. */
    record Succeeded(String buildId, String repository, String tag, Digest pushedDigest, BaseImage base, Instant finishedAt)
            implements BuildStatus {
        public Succeeded {
            Objects.requireNonNull(pushedDigest, "pushedDigest");
            Objects.requireNonNull(base, "base");
        }
    }

    /** The build failed or timed out; {@code reason} is one line, {@code logTail} the last lines of its log if known. */
    record Failed(String buildId, String reason, String logTail) implements BuildStatus {}

    /** Someone stopped the build (CodeBuild StopBuild): a decision, not a fault, so it is recorded and never retried. */
    record Stopped(String buildId, String reason) implements BuildStatus {}

    /** Starts {@code request} and returns the runner's build id. */
    String start(BuildRequest request) throws BuildException;

    /** The status of a started build. */
    BuildStatus status(String buildId) throws BuildException;

    /** Polls {@link #status} until the build finishes or {@code timeout} passes (then a {@link Failed} saying so). */
    default BuildStatus await(String buildId, Duration timeout, Duration poll) throws BuildException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            BuildStatus status = status(buildId);
            if (!(status instanceof Running)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                return new Failed(buildId, "did not finish within " + timeout, "");
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** The runner could not be asked (unreachable, refused, unknown build), as distinct from a build that failed. */
    final class BuildException extends Exception {
        public BuildException(String message) {
            super(message);
        }

        public BuildException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
