package dev.gatehouse.lambda.rebuild;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.aws.CodeBuildRunner;
import dev.gatehouse.aws.DynamoDbImageGraph;
import dev.gatehouse.aws.GatehouseTable;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.lambda.testing.FunctionProfile;
import dev.gatehouse.lambda.testing.LocalAwsStack;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.rebuild.BuildDefinition;
import dev.gatehouse.rebuild.Rebuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code rebuild-status} through the Lambda mock event server. No local CodeBuild exists, so
 * CodeBuild is the stub speaking its documented JSON protocol (StartBuild, BatchGetBuilds) and the
 * events are the documented "CodeBuild Build State Change" format it emits; the graph and the claims
 * are in DynamoDB Local, the published rebuild events on the EventBridge stub.
 */
@QuarkusTest
@TestProfile(RebuildStatusFunctionTest.Profile.class)
class RebuildStatusFunctionTest {

    static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    static final String PROJECT = "gatehouse-rebuild-payments";

    public static final class Profile extends FunctionProfile {
        @Override
        protected String export() {
            return "rebuild-status";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("gatehouse.rebuild.catalog", """
                    settings: {maxAttempts: 3}
                    targets:
                      - repository: %1$s/payments/api
                        tag: "1.4"
                        base: %1$s/platform/base:2026.11
                        codebuild: {project: %2$s, sourceVersion: refs/heads/main}
                    """.formatted(REGISTRY, PROJECT));
            return config;
        }
    }

    static JsonNode invoke(String event) throws Exception {
        String body = given().port(FunctionProfile.EVENT_SERVER_PORT).contentType("application/json").accept("application/json")
                .body(event).when().post().then().extract().asString();
        return UntrustedJson.parse(body.getBytes(StandardCharsets.UTF_8), "lambda response");
    }

    /** A rebuild of payments/api on a fresh base digest, started in CodeBuild the way the push path's executor starts it. */
    static String started(Digest base) throws Exception {
        BuildRunner.BaseImage pinned = new BuildRunner.BaseImage(REGISTRY + "/platform/base", "2026.11", base);
        Map<String, String> env = Map.of(
                Rebuilder.ENV_BASE_IMAGE, pinned.pinned(),
                Rebuilder.ENV_BASE_DIGEST, base.toString(),
                Rebuilder.ENV_BASE_NAME, pinned.name(),
                Rebuilder.ENV_TARGET_REPOSITORY, REGISTRY + "/payments/api",
                Rebuilder.ENV_TARGET_TAG, "1.4",
                Rebuilder.ENV_ATTEMPT, "1");
        return new CodeBuildRunner(LocalAwsStack.codebuild.client()).start(new BuildRunner.BuildRequest(
                new BuildDefinition.CodeBuildProject(PROJECT, null, "refs/heads/main", null), pinned, REGISTRY + "/payments/api", "1.4", env, 1));
    }

    static List<String> published() {
        return LocalAwsStack.stub.events().stream().filter(e -> e.path("Source").asText().equals(Rebuilder.EVENT_SOURCE))
                .map(e -> e.path("DetailType").asText()).toList();
    }

    @Test
    void aFailedCodeBuildRebuildIsRetriedOnceThenItsSuccessIsRecordedAndHandedToTheAfterBuildListeners() throws Exception {
        Digest base = Digest.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        Digest pushed = Digest.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        String first = started(base);
        int before = LocalAwsStack.codebuild.buildIds().size();
        String failed = LocalAwsStack.codebuild.finish(first, "FAILED", null);

        JsonNode retried = invoke(failed);
        JsonNode replayed = invoke(failed);

        assertThat(retried.path("outcome").asText()).as(retried.toString()).isEqualTo("retried");
        assertThat(retried.path("attempt").asInt()).isEqualTo(2);
        assertThat(replayed.path("outcome").asText()).as(replayed.toString()).isEqualTo("already_handled");
        List<String> builds = LocalAwsStack.codebuild.buildIds();
        assertThat(builds).hasSize(before + 1);
        JsonNode retry = LocalAwsStack.codebuild.startRequests().get(LocalAwsStack.codebuild.startRequests().size() - 1);
        assertThat(retry.path("projectName").asText()).isEqualTo(PROJECT);
        assertThat(retry.path("sourceVersion").asText()).isEqualTo("refs/heads/main");
        assertThat(retry.path("environmentVariablesOverride").toString()).contains("\"GATEHOUSE_ATTEMPT\",\"value\":\"2\"");

        JsonNode built = invoke(LocalAwsStack.codebuild.finish(builds.get(builds.size() - 1), "SUCCEEDED", pushed.toString()));

        assertThat(built.path("outcome").asText()).as(built.toString()).isEqualTo("built");
        assertThat(built.path("digest").asText()).isEqualTo(pushed.toString());
        assertThat(RecordingBuiltImageListener.BUILT).contains(REGISTRY + "/payments/api:1.4@" + pushed + " on " + REGISTRY + "/platform/base@" + base);
        DynamoDbImageGraph graph = new DynamoDbImageGraph(new GatehouseTable(LocalAwsStack.dynamoDb, LocalAwsStack.tables.get("graph")));
        assertThat(graph.dependentsOfDigest(REGISTRY + "/platform/base", base)).extracting(e -> e.image().digest()).containsExactly(pushed);
        assertThat(published()).containsSubsequence("Rebuild Failed", "Rebuild Started", "Rebuild Succeeded");
    }

    @Test
    void eventsThatAreNotFinishedGatehouseRebuildsStartNothing() throws Exception {
        String first = started(Digest.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
        int before = LocalAwsStack.codebuild.startRequests().size();

        assertThat(invoke(LocalAwsStack.codebuild.event(first)).path("result").asText()).isEqualTo("ignored");
        String finished = LocalAwsStack.codebuild.finish(first, "FAILED", null);
        JsonNode foreign = invoke(finished.replace(REGISTRY + "/payments/api", REGISTRY + "/payments/other"));
        assertThat(foreign.path("result").asText()).isEqualTo("refused");
        assertThat(foreign.path("reason").asText()).contains("not in the rebuild catalog");
        JsonNode malformed = invoke(finished.replace("\"build-status\":\"FAILED\"", "\"build-status\":{\"nested\":true}"));
        assertThat(malformed.path("result").asText()).isEqualTo("malformed");
        assertThat(malformed.path("error").asText()).contains("/detail/build-status").doesNotContain("\n");

        assertThat(LocalAwsStack.codebuild.startRequests()).hasSize(before);
    }
}
