package dev.gatehouse.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;

/**
 * No local CodeBuild exists, so CodeBuild is stood in for by its documented JSON wire protocol
 * (https://docs.aws.amazon.com/codebuild/latest/APIReference/: POST with {@code X-Amz-Target:
 * CodeBuild_20161006.StartBuild} / {@code .BatchGetBuilds}, {@code application/x-amz-json-1.1}, the
 * {@code Build} shape) on loopback, keeping the builds it started: {@link #finish} ends one as
 * CodeBuild would (status, phases, exported variables) and returns the "CodeBuild Build State
 * Change" EventBridge event CodeBuild then emits, in the documented sample's format
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-build-notifications.html).
 * StartBuild with an idempotency token seen before answers the same build, as CodeBuild does.
 */
public final class CodeBuildStub implements AutoCloseable {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "eu-west-1";

    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final List<JsonNode> startRequests = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> builds = new ConcurrentHashMap<>();
    private final Map<String, String> byToken = new ConcurrentHashMap<>();
    private AwsJsonServer server;

    private CodeBuildStub() {}

    /** Starts a stub on a free loopback port. */
    public static CodeBuildStub start() throws IOException {
        CodeBuildStub stub = new CodeBuildStub();
        stub.server = AwsJsonServer.start((target, request) -> {
            stub.targets.add(target);
            if (target.equals("CodeBuild_20161006.StartBuild")) {
                return AwsJsonServer.Reply.ok(stub.startBuild(request));
            }
            if (target.equals("CodeBuild_20161006.BatchGetBuilds")) {
                return AwsJsonServer.Reply.ok(stub.batchGetBuilds(request));
            }
            return AwsJsonServer.Reply.error("InvalidInputException", "stub does not know " + target);
        });
        return stub;
    }

    public String url() {
        return server.url();
    }

    /** A client of this stub with a static region and credentials. */
    public CodeBuildClient client() {
        return CodeBuildClient.builder()
                .region(Region.of(REGION))
                .endpointOverride(server.uri())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** The X-Amz-Target of every request so far. */
    public List<String> targets() {
        return List.copyOf(targets);
    }

    /** The StartBuild request bodies so far. */
    public List<JsonNode> startRequests() {
        return List.copyOf(startRequests);
    }

    /** The ids of the builds started so far, oldest first. */
    public List<String> buildIds() {
        return startRequests.stream().map(r -> byToken.get(r.path("idempotencyToken").asText())).distinct().toList();
    }

    private synchronized String startBuild(JsonNode request) {
        startRequests.add(request);
        String token = request.path("idempotencyToken").asText();
        String existing = byToken.get(token);
        if (existing != null) {
            return UntrustedJson.mapper().createObjectNode().set("build", builds.get(existing)).toString();
        }
        String project = request.path("projectName").asText();
        String id = project + ":" + UUID.randomUUID();
        ObjectNode build = UntrustedJson.mapper().createObjectNode();
        build.put("id", id);
        build.put("arn", arn(id));
        build.put("buildNumber", builds.size() + 1);
        build.put("startTime", System.currentTimeMillis() / 1000.0);
        build.put("currentPhase", "QUEUED");
        build.put("buildStatus", "IN_PROGRESS");
        build.put("projectName", project);
        build.put("initiator", "gatehouse-rebuild-status");
        build.put("buildComplete", false);
        build.putArray("phases").addObject().put("phaseType", "SUBMITTED").put("phaseStatus", "SUCCEEDED");
        ObjectNode source = build.putObject("source").put("type", request.path("sourceTypeOverride").asText("CODEPIPELINE"));
        if (request.has("buildspecOverride")) {
            source.put("buildspec", request.path("buildspecOverride").asText());
        }
        ObjectNode environment = build.putObject("environment").put("type", "LINUX_CONTAINER").put("image", "aws/codebuild/standard:7.0")
                .put("computeType", "BUILD_GENERAL1_SMALL").put("privilegedMode", false);
        ArrayNode variables = environment.putArray("environmentVariables");
        request.path("environmentVariablesOverride").forEach(variables::add);
        build.putArray("exportedEnvironmentVariables");
        builds.put(id, build);
        byToken.put(token, id);
        return UntrustedJson.mapper().createObjectNode().set("build", build).toString();
    }

    private String batchGetBuilds(JsonNode request) {
        ObjectNode response = UntrustedJson.mapper().createObjectNode();
        ArrayNode found = response.putArray("builds");
        ArrayNode missing = response.putArray("buildsNotFound");
        for (JsonNode id : request.path("ids")) {
            ObjectNode build = builds.get(id.asText());
            if (build == null) {
                missing.add(id.asText());
            } else {
                found.add(build);
            }
        }
        return response.toString();
    }

    /**
     * Ends build {@code id} with {@code status} (SUCCEEDED, FAILED, FAULT, STOPPED, TIMED_OUT); a
     * succeeded build exports {@code GATEHOUSE_PUSHED_DIGEST=pushedDigest} when it is not null, a
     * failed one fails in its BUILD phase. Returns the state-change event CodeBuild sends.
     */
    public synchronized String finish(String id, String status, String pushedDigest) {
        ObjectNode build = builds.get(id);
        build.put("buildStatus", status).put("currentPhase", "COMPLETED").put("buildComplete", true)
                .put("endTime", System.currentTimeMillis() / 1000.0);
        ObjectNode phase = build.withArray("phases").addObject().put("phaseType", "BUILD").put("phaseStatus", status);
        if (!status.equals("SUCCEEDED")) {
            phase.putArray("contexts").addObject().put("statusCode", "COMMAND_EXECUTION_ERROR")
                    .put("message", "Error while executing command: buildah bud. Reason: exit status 1");
        }
        if (status.equals("SUCCEEDED") && pushedDigest != null) {
            build.withArray("exportedEnvironmentVariables").addObject().put("name", "GATEHOUSE_PUSHED_DIGEST").put("value", pushedDigest);
        }
        return event(id);
    }

    /** The "CodeBuild Build State Change" event for build {@code id} as it is now. */
    public String event(String id) {
        ObjectNode build = builds.get(id);
        ObjectNode event = UntrustedJson.mapper().createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "CodeBuild Build State Change");
        event.put("source", "aws.codebuild");
        event.put("account", ACCOUNT);
        event.put("time", "2026-11-27T04:12:28Z");
        event.put("region", REGION);
        event.putArray("resources").add(arn(id));
        ObjectNode detail = event.putObject("detail");
        detail.put("build-status", build.path("buildStatus").asText());
        detail.put("project-name", build.path("projectName").asText());
        detail.put("build-id", arn(id));
        ObjectNode info = detail.putObject("additional-information");
        ObjectNode environment = info.putObject("environment");
        environment.put("image", "aws/codebuild/standard:7.0");
        environment.put("privileged-mode", false);
        environment.put("compute-type", "BUILD_GENERAL1_SMALL");
        environment.put("type", "LINUX_CONTAINER");
        environment.set("environment-variables", build.path("environment").path("environmentVariables").deepCopy());
        info.put("timeout-in-minutes", 60);
        info.put("build-complete", build.path("buildComplete").asBoolean());
        info.put("build-number", build.path("buildNumber").asInt());
        info.put("initiator", build.path("initiator").asText());
        info.put("build-start-time", "Nov 27, 2026 4:02:29 AM");
        info.putObject("logs").put("group-name", "/aws/codebuild/" + build.path("projectName").asText())
                .put("stream-name", id.substring(id.indexOf(':') + 1));
        ArrayNode phases = info.putArray("phases");
        for (JsonNode p : build.path("phases")) {
            phases.addObject().put("phase-type", p.path("phaseType").asText()).put("phase-status", p.path("phaseStatus").asText())
                    .putArray("phase-context");
        }
        detail.put("current-phase", build.path("currentPhase").asText());
        detail.put("current-phase-context", "[]");
        detail.put("version", "1");
        return event.toString();
    }

    private static String arn(String id) {
        return "arn:aws:codebuild:" + REGION + ":" + ACCOUNT + ":build/" + id;
    }

    @Override
    public void close() {
        server.close();
    }
}
