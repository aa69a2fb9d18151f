package dev.gatehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.aws.testing.AwsJsonServer;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.rebuild.BuildDefinition;
import dev.gatehouse.rebuild.Rebuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;

/**
 * No local CodeBuild exists, so this tests the runner against CodeBuild's documented JSON protocol
 * (AWS JSON 1.1, {@code X-Amz-Target: CodeBuild_20161006.StartBuild} / {@code .BatchGetBuilds}, the
 * request and response shapes of the CodeBuild API reference) served by a small HTTP server on
 * loopback, and against the documented "CodeBuild Build State Change" EventBridge event. Nothing
 * reaches AWS.
 */
class CodeBuildRunnerTest {

    static final String PROJECT = "gatehouse-rebuild-app";
    static final String BUILD_ID = PROJECT + ":8745a7a9-c340-456a-9166-edf953571bEX";
    static final Digest BASE = Digest.sha256("base-2".getBytes(StandardCharsets.UTF_8));
    static final Digest PUSHED = Digest.sha256("app-2".getBytes(StandardCharsets.UTF_8));

    private AwsJsonServer server;
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final Deque<String> responses = new ArrayDeque<>();

    @BeforeEach
    void start() throws Exception {
        server = AwsJsonServer.start((target, request) -> {
            targets.add(target);
            requests.add(request);
            String body = responses.isEmpty() ? "{}" : responses.removeFirst();
            return body.startsWith("ERROR ") ? new AwsJsonServer.Reply(400, body.substring(6), "ResourceNotFoundException")
                    : AwsJsonServer.Reply.ok(body);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CodeBuildRunner runner() {
        return new CodeBuildRunner(CodeBuildClient.builder()
                .region(Region.EU_WEST_1)
                .endpointOverride(server.uri())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build());
    }

    private static BuildRunner.BuildRequest request(int attempt) {
        BuildRunner.BaseImage base = new BuildRunner.BaseImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/base", "latest", BASE);
        Map<String, String> env = Map.of(
                Rebuilder.ENV_BASE_IMAGE, base.pinned(),
                Rebuilder.ENV_BASE_DIGEST, BASE.toString(),
                Rebuilder.ENV_BASE_NAME, base.name(),
                Rebuilder.ENV_TARGET_REPOSITORY, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app",
                Rebuilder.ENV_TARGET_TAG, "1.4",
                Rebuilder.ENV_ATTEMPT, Integer.toString(attempt));
        return new BuildRunner.BuildRequest(new BuildDefinition.CodeBuildProject(PROJECT, "https://github.com/acme/app", "refs/heads/main",
                "buildspec-rebuild.yml"), base, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", "1.4", env, attempt);
    }

    private static String build(String status, String phases, String exported) {
        StringBuilder env = new StringBuilder();
        request(1).environment().forEach((k, v) -> env.append(env.length() == 0 ? "" : ",")
                .append("{\"name\":\"").append(k).append("\",\"value\":\"").append(v).append("\",\"type\":\"PLAINTEXT\"}"));
        return "{\"id\":\"" + BUILD_ID + "\",\"arn\":\"arn:aws:codebuild:eu-west-1:123456789012:build/" + BUILD_ID + "\","
                + "\"buildNumber\":55,\"startTime\":1764151949.1,\"endTime\":1764152249.5,\"currentPhase\":\"COMPLETED\","
                + "\"buildStatus\":\"" + status + "\",\"projectName\":\"" + PROJECT + "\",\"phases\":[" + phases + "],"
                + "\"environment\":{\"type\":\"LINUX_CONTAINER\",\"image\":\"aws/codebuild/standard:7.0\",\"computeType\":\"BUILD_GENERAL1_SMALL\","
                + "\"environmentVariables\":[" + env + "],\"privilegedMode\":true},"
                + "\"exportedEnvironmentVariables\":[" + exported + "],\"buildComplete\":true}";
    }

    @Test
    void startBuildSendsProjectSourceBuildspecAndEnvironmentOverrides() throws Exception {
        responses.add("{\"build\":" + build("IN_PROGRESS", "", "").replace("\"buildComplete\":true", "\"buildComplete\":false") + "}");

        String id = runner().start(request(1));

        assertThat(id).isEqualTo(BUILD_ID);
        assertThat(targets).containsExactly("CodeBuild_20161006.StartBuild");
        JsonNode sent = requests.get(0);
        assertThat(sent.path("projectName").asText()).isEqualTo(PROJECT);
        assertThat(sent.path("sourceLocationOverride").asText()).isEqualTo("https://github.com/acme/app");
        assertThat(sent.path("sourceVersion").asText()).isEqualTo("refs/heads/main");
        assertThat(sent.path("buildspecOverride").asText()).isEqualTo("buildspec-rebuild.yml");
        assertThat(sent.path("idempotencyToken").asText()).hasSize(64);
        assertThat(sent.path("environmentVariablesOverride").findValuesAsText("name"))
                .contains(Rebuilder.ENV_BASE_DIGEST, Rebuilder.ENV_TARGET_REPOSITORY, Rebuilder.ENV_TARGET_TAG);
        assertThat(sent.path("environmentVariablesOverride")).allSatisfy(v -> assertThat(v.path("type").asText()).isEqualTo("PLAINTEXT"));
        assertThat(sent.toString()).contains("\"value\":\"" + BASE + "\"");
    }

    @Test
    void anotherAttemptHasAnotherIdempotencyToken() throws Exception {
        responses.add("{\"build\":{\"id\":\"" + BUILD_ID + "\",\"buildStatus\":\"IN_PROGRESS\"}}");
        responses.add("{\"build\":{\"id\":\"" + BUILD_ID + "-2\",\"buildStatus\":\"IN_PROGRESS\"}}");
        runner().start(request(1));
        runner().start(request(2));
        assertThat(requests.get(0).path("idempotencyToken").asText()).isNotEqualTo(requests.get(1).path("idempotencyToken").asText());
    }

    @Test
    void batchGetBuildsOfASucceededBuildGivesThePushedAndBaseDigest() throws Exception {
        responses.add("{\"builds\":[" + build("SUCCEEDED", "{\"phaseType\":\"BUILD\",\"phaseStatus\":\"SUCCEEDED\"}",
                "{\"name\":\"GATEHOUSE_PUSHED_DIGEST\",\"value\":\"" + PUSHED + "\"}") + "],\"buildsNotFound\":[]}");

        BuildRunner.BuildStatus status = runner().status(BUILD_ID);

        assertThat(targets).containsExactly("CodeBuild_20161006.BatchGetBuilds");
        assertThat(requests.get(0).path("ids").get(0).asText()).isEqualTo(BUILD_ID);
        assertThat(status).isInstanceOfSatisfying(BuildRunner.Succeeded.class, s -> {
            assertThat(s.pushedDigest()).isEqualTo(PUSHED);
            assertThat(s.base().digest()).isEqualTo(BASE);
            assertThat(s.base().tag()).isEqualTo("latest");
            assertThat(s.repository()).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app");
            assertThat(s.tag()).isEqualTo("1.4");
        });
    }

    @Test
    void aSucceededBuildThatExportedNoDigestCountsAsFailed() throws Exception {
        responses.add("{\"builds\":[" + build("SUCCEEDED", "", "") + "]}");
        assertThat(runner().status(BUILD_ID)).isInstanceOfSatisfying(BuildRunner.Failed.class,
                f -> assertThat(f.reason()).contains("did not export GATEHOUSE_PUSHED_DIGEST"));
    }

    @Test
    void aFailedBuildNamesTheFailedPhaseAndItsMessage() throws Exception {
        responses.add("{\"builds\":[" + build("FAILED", "{\"phaseType\":\"INSTALL\",\"phaseStatus\":\"SUCCEEDED\"},"
                + "{\"phaseType\":\"BUILD\",\"phaseStatus\":\"FAILED\",\"contexts\":[{\"statusCode\":\"COMMAND_EXECUTION_ERROR\","
                + "\"message\":\"Error while executing command: docker build. Reason: exit status 1\"}]}", "") + "]}");
        assertThat(runner().status(BUILD_ID)).isInstanceOfSatisfying(BuildRunner.Failed.class,
                f -> assertThat(f.reason()).isEqualTo("CodeBuild build FAILED in phase BUILD: Error while executing command: docker build. Reason: exit status 1"));
    }

    @Test
    void aStoppedBuildIsStoppedNotFailed() throws Exception {
        // BatchGetBuilds as CodeBuild answers after StopBuild: buildStatus STOPPED, the interrupted phase STOPPED.
        responses.add("{\"builds\":[" + build("STOPPED", "{\"phaseType\":\"INSTALL\",\"phaseStatus\":\"SUCCEEDED\"},"
                + "{\"phaseType\":\"BUILD\",\"phaseStatus\":\"STOPPED\"}", "") + "]}");
        assertThat(runner().status(BUILD_ID)).isEqualTo(new BuildRunner.Stopped(BUILD_ID, "CodeBuild build STOPPED in phase BUILD"));
    }

    @Test
    void aRunningBuildReportsItsPhase() throws Exception {
        responses.add("{\"builds\":[{\"id\":\"" + BUILD_ID + "\",\"buildStatus\":\"IN_PROGRESS\",\"currentPhase\":\"PROVISIONING\"}]}");
        assertThat(runner().status(BUILD_ID)).isEqualTo(new BuildRunner.Running(BUILD_ID, "PROVISIONING"));
    }

    @Test
    void anUnknownBuildAndARefusedStartAreBuildExceptions() {
        responses.add("{\"builds\":[],\"buildsNotFound\":[\"" + BUILD_ID + "\"]}");
        assertThatThrownBy(() -> runner().status(BUILD_ID)).isInstanceOf(BuildRunner.BuildException.class).hasMessageContaining("does not know");
        responses.add("ERROR {\"__type\":\"ResourceNotFoundException\",\"message\":\"Project cannot be found: arn:aws:codebuild:eu-west-1:123456789012:project/"
                + PROJECT + "\"}");
        assertThatThrownBy(() -> runner().start(request(1))).isInstanceOf(BuildRunner.BuildException.class)
                .hasMessageContaining("StartBuild for project " + PROJECT + " failed").hasMessageContaining("Project cannot be found");
    }

    @Test
    void aCustomisationIsNotACodeBuildDefinition() {
        BuildRunner.BuildRequest r = request(1);
        var other = new BuildRunner.BuildRequest(new BuildDefinition.Containerfile(java.nio.file.Path.of("Containerfile"), java.nio.file.Path.of(".")),
                r.base(), r.targetRepository(), r.targetTag(), r.environment(), 1);
        assertThatThrownBy(() -> runner().start(other)).isInstanceOf(BuildRunner.BuildException.class).hasMessageContaining("CodeBuild project");
        assertThat(targets).isEmpty();
    }

    @Test
    void stateChangeEventOfAFailedBuildGivesTheRequestBackForARetry() throws Exception {
        String event = """
                {"version":"0","id":"c030038d-8c4d-6141-9545-00ff7b7153EX","detail-type":"CodeBuild Build State Change",
                 "source":"aws.codebuild","account":"123456789012","time":"2026-11-26T16:14:28Z","region":"eu-west-1",
                 "resources":["arn:aws:codebuild:eu-west-1:123456789012:build/%1$s"],
                 "detail":{"build-status":"FAILED","project-name":"%2$s","build-id":"arn:aws:codebuild:eu-west-1:123456789012:build/%1$s",
                  "current-phase":"COMPLETED","current-phase-context":"[: ]","version":"1",
                  "additional-information":{"environment":{"image":"aws/codebuild/standard:7.0","privileged-mode":true,
                   "compute-type":"BUILD_GENERAL1_SMALL","type":"LINUX_CONTAINER","environment-variables":[%3$s]},
                   "timeout-in-minutes":60,"build-complete":true,"initiator":"gatehouse","build-start-time":"Nov 26, 2026 4:12:29 PM"}}}
                """.formatted(BUILD_ID, PROJECT, envJson());

        var finished = CodeBuildRunner.finishedBuild(event.getBytes(StandardCharsets.UTF_8)).orElseThrow();
        BuildRunner.BuildRequest back = CodeBuildRunner.requestOf(finished.projectName(), finished.environment());

        assertThat(finished.buildStatus()).isEqualTo("FAILED");
        assertThat(finished.buildId()).as("the build id BatchGetBuilds takes, from the event's build ARN").isEqualTo(BUILD_ID);
        assertThat(back.attempt()).isEqualTo(1);
        assertThat(back.base().digest()).isEqualTo(BASE);
        assertThat(back.target()).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4");
    }

    @Test
    void inProgressAndOtherEventsAreNotFinishedBuildsAndBrokenOnesAreRefused() throws Exception {
        assertThat(CodeBuildRunner.finishedBuild(("{\"source\":\"aws.codebuild\",\"detail-type\":\"CodeBuild Build State Change\","
                + "\"detail\":{\"build-status\":\"IN_PROGRESS\",\"project-name\":\"" + PROJECT + "\",\"build-id\":\"" + BUILD_ID + "\"}}").getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(CodeBuildRunner.finishedBuild("{\"source\":\"aws.ecr\",\"detail-type\":\"ECR Image Action\"}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThatThrownBy(() -> CodeBuildRunner.finishedBuild(("{\"source\":\"aws.codebuild\",\"detail-type\":\"CodeBuild Build State Change\","
                + "\"detail\":{}}").getBytes(StandardCharsets.UTF_8))).isInstanceOf(MalformedInputException.class).hasMessageContaining("build-id");
        assertThatThrownBy(() -> CodeBuildRunner.requestOf(PROJECT, Map.of())).isInstanceOf(BuildRunner.BuildException.class)
                .hasMessageContaining("not started by Gatehouse");
    }

    private static String envJson() {
        StringBuilder env = new StringBuilder();
        request(1).environment().forEach((k, v) -> env.append(env.length() == 0 ? "" : ",")
                .append("{\"name\":\"").append(k).append("\",\"value\":\"").append(v).append("\",\"type\":\"PLAINTEXT\"}"));
        return env.toString();
    }
}
