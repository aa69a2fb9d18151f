package dev.gatehouse.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.Printable;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.rebuild.BuildDefinition;
import dev.gatehouse.rebuild.Rebuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codebuild.model.BatchGetBuildsResponse;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.codebuild.model.BuildPhase;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariable;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariableType;
import software.amazon.awssdk.services.codebuild.model.ExportedEnvironmentVariable;
import software.amazon.awssdk.services.codebuild.model.PhaseContext;
import software.amazon.awssdk.services.codebuild.model.SourceType;
import software.amazon.awssdk.services.codebuild.model.StartBuildRequest;
import software.amazon.awssdk.services.codebuild.model.StatusType;

/**
 * Runs rebuilds as AWS CodeBuild builds: {@code StartBuild} of the definition's project with its
 * source, source version and buildspec overrides and the rebuild's environment (base digest, target
 * repository and tag, attempt) as plaintext environment-variable overrides; status through
 * {@code BatchGetBuilds}, and the end of a build through its "CodeBuild Build State Change"
 * EventBridge event ({@link #finishedBuild}). The buildspec pushes the image and exports its digest
 * as {@value #PUSHED_DIGEST} ({@code env: exported-variables}); a build that succeeds without it
 * counts as failed, since nothing could be verified.
 */
public final class CodeBuildRunner implements BuildRunner {

    public static final String PUSHED_DIGEST = "GATEHOUSE_PUSHED_DIGEST";
    public static final String EVENT_DETAIL_TYPE = "CodeBuild Build State Change";
    /** The environment variables Gatehouse sets on its builds start with this. */
    public static final String ENVIRONMENT_PREFIX = "GATEHOUSE_";
    /** EventBridge delivers events of at most 256 KB. */
    static final int MAX_EVENT_BYTES = 256 * 1024;
    static final int MAX_EVENT_VARIABLES = 500;
    static final Pattern PROJECT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,254}");
    /** A build ARN ({@code arn:PARTITION:codebuild:REGION:ACCOUNT:build/PROJECT:UUID}) or a bare build id. */
    static final Pattern BUILD_ID = Pattern.compile(
            "(?:arn:aws[a-z-]{0,20}:codebuild:[a-z0-9-]{1,32}:[0-9]{12}:build/)?([A-Za-z0-9][A-Za-z0-9_-]{1,254}):([A-Za-z0-9-]{1,64})");
    static final Set<String> BUILD_STATUSES = Set.of("IN_PROGRESS", "SUCCEEDED", "FAILED", "FAULT", "STOPPED", "TIMED_OUT");

    private final CodeBuildClient client;

    public CodeBuildRunner(CodeBuildClient client) {
        this.client = client;
    }

    /**
     * Starts a CodeBuild project definition with its overrides, or a customisation with a CodeBuild
     * project from its generated buildspec ({@link CustomisationBuildspec}, no source).
     */
    @Override
    public String start(BuildRequest request) throws BuildException {
        String projectName = projectOf(request.definition()).orElseThrow(() -> new BuildException("CodeBuild runs CodeBuild project "
                + "definitions and customisations with a CodeBuild project, not " + request.definition().getClass().getSimpleName()
                + " (target " + request.target() + ")"));
        List<EnvironmentVariable> env = new TreeMap<>(request.environment()).entrySet().stream()
                .map(e -> EnvironmentVariable.builder().name(e.getKey()).value(e.getValue()).type(EnvironmentVariableType.PLAINTEXT).build())
                .toList();
        StartBuildRequest.Builder start = StartBuildRequest.builder()
                .projectName(projectName)
                .environmentVariablesOverride(env)
                .idempotencyToken(idempotencyToken(request));
        if (request.definition() instanceof BuildDefinition.CodeBuildProject project) {
            if (project.sourceLocation() != null) {
                start.sourceLocationOverride(project.sourceLocation());
            }
            if (project.sourceVersion() != null) {
                start.sourceVersion(project.sourceVersion());
            }
            if (project.buildspec() != null) {
                start.buildspecOverride(project.buildspec());
            }
        } else if (request.definition() instanceof BuildDefinition.Customised customised) {
            try {
                start.sourceTypeOverride(SourceType.NO_SOURCE).buildspecOverride(CustomisationBuildspec.of(customised.customisation(), request));
            } catch (IOException e) {
                throw new BuildException("customisation " + request.target() + " cannot be built in CodeBuild: "
                        + Printable.oneLine(e.getMessage(), Printable.QUOTED_ERROR_CHARS), e);
            }
        }
        try {
            Build build = client.startBuild(start.build()).build();
            if (build == null || build.id() == null || build.id().isBlank()) {
                throw new BuildException("CodeBuild StartBuild for " + projectName + " returned no build id");
            }
            return build.id();
        } catch (SdkException e) {
            throw new BuildException("CodeBuild StartBuild for project " + projectName + " failed: "
                    + Printable.oneLine(e.getMessage(), Printable.QUOTED_ERROR_CHARS), e);
        }
    }

    @Override
    public BuildStatus status(String buildId) throws BuildException {
        BatchGetBuildsResponse response;
        try {
            response = client.batchGetBuilds(b -> b.ids(buildId));
        } catch (SdkException e) {
            throw new BuildException("CodeBuild BatchGetBuilds for " + buildId + " failed: "
                    + Printable.oneLine(e.getMessage(), Printable.QUOTED_ERROR_CHARS), e);
        }
        Optional<Build> build = response.builds().stream().filter(b -> buildId.equals(b.id())).findFirst();
        if (build.isEmpty()) {
            throw new BuildException("CodeBuild does not know build " + buildId);
        }
        return statusOf(build.get());
    }

    /**
     * The rebuild a CodeBuild build was started for, read back from its environment variables (only
     * Gatehouse's own, {@value #ENVIRONMENT_PREFIX}*, are kept: the project's variables are not ours to pass on).
     */
    public static BuildRequest requestOf(String projectName, Map<String, String> environment) throws BuildException {
        environment = new TreeMap<>(environment);
        environment.keySet().removeIf(name -> !name.startsWith(ENVIRONMENT_PREFIX) || PUSHED_DIGEST.equals(name));
        try {
            String baseImage = require(environment, Rebuilder.ENV_BASE_IMAGE);
            Digest baseDigest = Digest.parse(require(environment, Rebuilder.ENV_BASE_DIGEST));
            if (!baseImage.endsWith("@" + baseDigest)) {
                throw new IllegalArgumentException(Rebuilder.ENV_BASE_IMAGE + " is not pinned to " + Rebuilder.ENV_BASE_DIGEST);
            }
            String baseRepository = baseImage.substring(0, baseImage.lastIndexOf('@'));
            String baseName = environment.getOrDefault(Rebuilder.ENV_BASE_NAME, baseRepository);
            String baseTag = baseName.startsWith(baseRepository + ":") ? baseName.substring(baseRepository.length() + 1) : null;
            int attempt = Integer.parseInt(require(environment, Rebuilder.ENV_ATTEMPT));
            return new BuildRequest(new BuildDefinition.CodeBuildProject(projectName, null, null, null),
                    new BaseImage(baseRepository, baseTag, baseDigest), require(environment, Rebuilder.ENV_TARGET_REPOSITORY),
                    require(environment, Rebuilder.ENV_TARGET_TAG), environment, attempt);
        } catch (RuntimeException e) {
            throw new BuildException("CodeBuild build of " + projectName + " was not started by Gatehouse: " + e.getMessage(), e);
        }
    }

    /**
     * A finished build named by a state-change event: its id ({@code project:uuid}, what BatchGetBuilds
     * takes; the event names the build ARN), project, status and the plaintext environment it ran with.
     */
    public record FinishedBuild(String buildId, String projectName, String buildStatus, Map<String, String> environment) {}

    /**
     * Reads a "CodeBuild Build State Change" EventBridge event. Returns empty for events that are not
     * about a finished build (in progress, other detail types); throws when the event is malformed.
     */
    public static Optional<FinishedBuild> finishedBuild(byte[] event) throws MalformedInputException {
        JsonNode root = UntrustedJson.parse(event, "CodeBuild state-change event", MAX_EVENT_BYTES);
        if (!"aws.codebuild".equals(root.path("source").asText()) || !EVENT_DETAIL_TYPE.equals(root.path("detail-type").asText())) {
            return Optional.empty();
        }
        JsonNode detail = root.path("detail");
        String buildId = eventText(detail, "build-id");
        String project = eventText(detail, "project-name");
        String status = eventText(detail, "build-status");
        if (!PROJECT_NAME.matcher(project).matches()) {
            throw new MalformedInputException("CodeBuild state-change event", "/detail/project-name", "not a CodeBuild project name");
        }
        if (!BUILD_STATUSES.contains(status)) {
            throw new MalformedInputException("CodeBuild state-change event", "/detail/build-status", "unknown build status");
        }
        Matcher id = BUILD_ID.matcher(buildId);
        if (!id.matches() || !id.group(1).equals(project)) {
            throw new MalformedInputException("CodeBuild state-change event", "/detail/build-id", "not a build of project " + project);
        }
        if ("IN_PROGRESS".equals(status)) {
            return Optional.empty();
        }
        JsonNode variables = detail.at("/additional-information/environment/environment-variables");
        if (variables.size() > MAX_EVENT_VARIABLES) {
            throw new MalformedInputException("CodeBuild state-change event", "/detail/additional-information/environment/environment-variables",
                    "more than " + MAX_EVENT_VARIABLES + " variables");
        }
        Map<String, String> env = new HashMap<>();
        for (JsonNode v : variables) {
            if ("PLAINTEXT".equals(v.path("type").asText("PLAINTEXT")) && v.path("name").isTextual() && v.path("value").isTextual()) {
                env.put(v.path("name").asText(), v.path("value").asText());
            }
        }
        return Optional.of(new FinishedBuild(project + ":" + id.group(2), project, status, env));
    }

    /** The CodeBuild project a build definition runs in, if it runs in CodeBuild. */
    public static Optional<String> projectOf(BuildDefinition definition) {
        if (definition instanceof BuildDefinition.CodeBuildProject project) {
            return Optional.of(project.project());
        }
        if (definition instanceof BuildDefinition.Customised customised) {
            return Optional.ofNullable(customised.codebuildProject());
        }
        return Optional.empty();
    }

    private static String eventText(JsonNode detail, String field) throws MalformedInputException {
        JsonNode value = detail.path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new MalformedInputException("CodeBuild state-change event", "/detail/" + field, "a non-empty string is required");
        }
        return value.asText();
    }

    static BuildStatus statusOf(Build build) {
        StatusType status = build.buildStatus();
        if (status == null || status == StatusType.IN_PROGRESS || status == StatusType.UNKNOWN_TO_SDK_VERSION) {
            return new Running(build.id(), build.currentPhase() == null ? "IN_PROGRESS" : build.currentPhase());
        }
        if (status == StatusType.STOPPED) {
            return new Stopped(build.id(), "CodeBuild build STOPPED" + failedPhase(build));
        }
        if (status != StatusType.SUCCEEDED) {
            return new Failed(build.id(), "CodeBuild build " + status + failedPhase(build), "");
        }
        Map<String, String> env = new HashMap<>();
        if (build.environment() != null) {
            for (EnvironmentVariable v : build.environment().environmentVariables()) {
                if (v.type() == null || v.type() == EnvironmentVariableType.PLAINTEXT) {
                    env.put(v.name(), v.value());
                }
            }
        }
        String pushed = build.exportedEnvironmentVariables().stream().filter(v -> PUSHED_DIGEST.equals(v.name()))
                .map(ExportedEnvironmentVariable::value).findFirst().orElse(null);
        BuildRequest request;
        try {
            request = requestOf(build.projectName(), env);
        } catch (BuildException e) {
            return new Failed(build.id(), e.getMessage(), "");
        }
        if (pushed == null || !Digest.isDigest(pushed.strip())) {
            return new Failed(build.id(), "CodeBuild build succeeded but did not export " + PUSHED_DIGEST + " as a digest", "");
        }
        Instant end = build.endTime() == null ? Instant.now() : build.endTime();
        return new Succeeded(build.id(), request.targetRepository(), request.targetTag(), Digest.parse(pushed.strip()), request.base(), end);
    }

    private static String failedPhase(Build build) {
        for (BuildPhase phase : build.phases()) {
            if (phase.phaseStatus() != null && phase.phaseStatus() != StatusType.SUCCEEDED) {
                String message = phase.contexts().stream().map(PhaseContext::message).filter(m -> m != null && !m.isBlank()).findFirst().orElse("");
                return " in phase " + phase.phaseTypeAsString() + (message.isEmpty() ? "" : ": "
                        + Printable.oneLine(message, Printable.QUOTED_ERROR_CHARS));
            }
        }
        return "";
    }

    /** The same rebuild attempt never starts two CodeBuild builds, even when StartBuild is retried. */
    static String idempotencyToken(BuildRequest request) {
        String what = request.target() + " on " + request.base().pinned() + " attempt " + request.attempt();
        return Digest.sha256(what.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 64);
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is missing");
        }
        return value;
    }
}
