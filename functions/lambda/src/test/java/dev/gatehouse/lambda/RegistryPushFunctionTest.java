package dev.gatehouse.lambda;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.aws.DynamoDbFindingLedger;
import dev.gatehouse.aws.DynamoDbImageGraph;
import dev.gatehouse.aws.DynamoDbResultStore;
import dev.gatehouse.aws.GatehouseTable;
import dev.gatehouse.handlers.push.testing.RegistryEnvelopes;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.lambda.testing.LocalAwsStack;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.testing.Oracles;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.lambda.testing.FunctionProfile;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code registry-push} through the Lambda mock event server: Function URL requests wrapping
 * distribution envelopes (events produced in code for sample images pushed to the real registry,
 * and the oracle envelopes), EventBridge ECR events, with results in DynamoDB Local, reports in
 * S3Mock and result events on an EventBridge stub.
 */
@QuarkusTest
@TestProfile(RegistryPushFunctionTest.Profile.class)
class RegistryPushFunctionTest {

    public static final class Profile extends FunctionProfile {
        @Override
        protected String export() {
            return "registry-push";
        }
    }

    static final String ORACLES = "registry-events/";

    static JsonNode invoke(JsonNode event) {
        String body = given().port(FunctionProfile.EVENT_SERVER_PORT).contentType("application/json").accept("application/json")
                .body(event.toString()).when().post().then().extract().asString();
        try {
            return UntrustedJson.parse(body.getBytes(StandardCharsets.UTF_8), "lambda response");
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** A Function URL request event (payload format 2.0) carrying {@code body}. */
    static ObjectNode functionUrlRequest(byte[] body, String authorization) {
        ObjectNode event = UntrustedJson.mapper().createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", "/");
        event.put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        headers.put("content-type", "application/vnd.docker.distribution.events.v1+json");
        headers.put("host", "abcdefghij.lambda-url.us-east-1.on.aws");
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", UUID.randomUUID().toString());
        context.putObject("http").put("method", "POST").put("path", "/").put("sourceIp", "127.0.0.1");
        event.put("body", new String(body, StandardCharsets.UTF_8));
        event.put("isBase64Encoded", false);
        return event;
    }

    static JsonNode httpBody(JsonNode response) throws Exception {
        return UntrustedJson.parse(response.get("body").asText().getBytes(StandardCharsets.UTF_8), "response body");
    }

    static ResultStore results() {
        return new DynamoDbResultStore(new GatehouseTable(LocalAwsStack.dynamoDb, LocalAwsStack.tables.get("results")));
    }

    SampleImages.Built push(String path, Set<SampleDefect> defects) throws Exception {
        assumeTrue(LocalAwsStack.registry != null, "docker-registry not installed: registry-push verification tests skipped");
        return new SampleImages(LocalAwsStack.registry.repository(path), LocalAwsStack.signer, Instant.now())
                .build(LocalAwsStack.registry.host() + "/" + path, "v1", defects);
    }

    @Inject
    PolicyPriming priming;

    @Test
    void thePolicyBundleIsCompiledAndEvaluatedOnTheSampleInputAtStartUpForTheSnapshot() {
        assertThat(priming.primed()).hasValueSatisfying(p -> {
            assertThat(p.revision()).isEqualTo(LocalAwsStack.policyRevision);
            assertThat(p.evaluations()).isEqualTo(PolicyPriming.EVALUATIONS);
            assertThat(p.outcome()).isNotNull();
        });
    }

    @Test
    void aWebhookForASignedImageStoresTheVerdictAnnouncesItAndAReplayIsADuplicate() throws Exception {
        String path = "lambda/app-" + UUID.randomUUID().toString().substring(0, 8);
        SampleImages.Built built = push(path, Set.of());
        byte[] envelope = RegistryEnvelopes.distributionPush(LocalAwsStack.registry.host(), path, built.image(), "v1");

        JsonNode response = invoke(functionUrlRequest(envelope, "Bearer " + LocalAwsStack.WEBHOOK_SECRET));

        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        JsonNode summary = httpBody(response);
        assertThat(summary.get("verified").asInt()).as(summary.toString()).isEqualTo(1);
        assertThat(summary.at("/events/0/outcome").asText()).isEqualTo("allow");
        Digest digest = built.image().digest();
        ResultStore.VerificationResult result = results().latest(digest).orElseThrow();
        assertThat(result.decision()).isEqualTo(Decision.Outcome.ALLOW);
        assertThat(result.policyRevision()).isEqualTo(LocalAwsStack.policyRevision);
        assertThat(LocalAwsStack.stub.events()).anySatisfy(entry -> {
            assertThat(entry.get("EventBusName").asText()).isEqualTo(LocalAwsStack.EVENT_BUS);
            assertThat(entry.get("Source").asText()).isEqualTo("dev.gatehouse");
            assertThat(entry.get("DetailType").asText()).isEqualTo("Image Verified");
            assertThat(entry.get("Detail").asText()).contains(digest.toString()).contains("\"outcome\":\"allow\"");
        });

        assertThat(new DynamoDbImageGraph(new GatehouseTable(LocalAwsStack.dynamoDb, LocalAwsStack.tables.get("graph")))
                .dependentsOfDigest("registry.gatehouse.test/gatehouse/base/static", Digest.parse("sha256:" + "b".repeat(64))))
                .as("image graph recorded by the listener").anySatisfy(edge -> assertThat(edge.image().digest()).isEqualTo(digest));

        assertThat(new DynamoDbFindingLedger(new GatehouseTable(LocalAwsStack.dynamoDb, LocalAwsStack.tables.get("results")))
                .image(LocalAwsStack.registry.host() + "/" + path, digest)).as("SLA ledger updated by the listener").isPresent();

        JsonNode replay = httpBody(invoke(functionUrlRequest(envelope, "Bearer " + LocalAwsStack.WEBHOOK_SECRET)));
        assertThat(replay.get("duplicate").asInt()).isEqualTo(1);
        assertThat(replay.get("verified").asInt()).isZero();
    }

    @Test
    void aDefectiveImageIsStoredAsDeny() throws Exception {
        String path = "lambda/root-" + UUID.randomUUID().toString().substring(0, 8);
        SampleImages.Built built = push(path, EnumSet.of(SampleDefect.ROOT_USER));

        invoke(functionUrlRequest(RegistryEnvelopes.distributionPush(LocalAwsStack.registry.host(), path, built.image(), "v1"),
                "Bearer " + LocalAwsStack.WEBHOOK_SECRET));

        ResultStore.VerificationResult result = results().latest(built.image().digest()).orElseThrow();
        assertThat(result.decision()).isEqualTo(Decision.Outcome.DENY);
        assertThat(result.violations()).extracting(v -> v.policy()).contains("GH-NONROOT");
    }

    @Test
    void aWebhookWithoutTheSharedSecretIsRefusedBeforeItsBodyIsRead() throws Exception {
        byte[] garbage = "not even json".getBytes(StandardCharsets.UTF_8);

        JsonNode missing = invoke(functionUrlRequest(garbage, null));
        JsonNode wrong = invoke(functionUrlRequest(garbage, "Bearer not-the-secret-at-all"));

        assertThat(missing.get("statusCode").asInt()).isEqualTo(401);
        assertThat(wrong.get("statusCode").asInt()).isEqualTo(401);
        assertThat(httpBody(wrong).get("error").asText()).contains("webhook secret");
    }

    @Test
    void aMalformedEnvelopeIsA400NamingThePlace() throws Exception {
        JsonNode response = invoke(functionUrlRequest("{\"events\": {}}".getBytes(StandardCharsets.UTF_8),
                "Bearer " + LocalAwsStack.WEBHOOK_SECRET));

        assertThat(response.get("statusCode").asInt()).isEqualTo(400);
        assertThat(httpBody(response).get("error").asText()).isEqualTo("distribution notification envelope at /events: expected an array, found object");
    }

    @Test
    void anEcrEventFromEventBridgeThatIsNotAPushIsIgnoredWithItsReason() throws Exception {
        String delete = new String(RegistryEnvelopes.ecrPush("team/app", "sha256:" + "c".repeat(64), "v1"), StandardCharsets.UTF_8)
                .replace("\"PUSH\"", "\"DELETE\"");

        JsonNode summary = invoke(UntrustedJson.parse(delete.getBytes(StandardCharsets.UTF_8), "event"));

        assertThat(summary.get("ignored").asInt()).isEqualTo(1);
        assertThat(summary.at("/events/0/reason").asText()).isEqualTo("action-type DELETE is not a push");
    }

    @Test
    void anEcrPushToARegistryThisDeploymentDoesNotVerifyIsIgnoredWithoutReachingIt() throws Exception {
        JsonNode summary = invoke(UntrustedJson.parse(RegistryEnvelopes.ecrPush("team/app", "sha256:" + "d".repeat(64), "v1"), "event"));

        assertThat(summary.get("ignored").asInt()).isEqualTo(1);
        assertThat(summary.at("/events/0/reason").asText()).isEqualTo("registry 111122223333.dkr.ecr.eu-west-1.amazonaws.com is not one this deployment verifies");
    }

    @Test
    void everyOracleEventIsAnsweredAndNoneIsVerifiedOrFails() throws Exception {
        Path ecr = Oracles.require(ORACLES + "aws-ecr-eventbridge");
        Path distribution = Oracles.require(ORACLES + "distribution-notifications");
        List<Path> ecrFiles;
        try (Stream<Path> files = Files.list(ecr)) {
            ecrFiles = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : ecrFiles) {
            JsonNode summary = invoke(UntrustedJson.parse(Files.readAllBytes(file), file.toString()));
            assertThat(summary.get("failed").asInt()).as(file + ": " + summary).isZero();
            assertThat(summary.get("verified").asInt()).as(file.toString()).isZero();
            assertThat(summary.get("ignored").asInt()).as(file.toString()).isEqualTo(1);
        }
        for (String name : List.of("envelope-pull-manifest.json", "envelope-push-manifest-and-2-blobs.json")) {
            JsonNode response = invoke(functionUrlRequest(Files.readAllBytes(distribution.resolve(name)), "Bearer " + LocalAwsStack.WEBHOOK_SECRET));
            assertThat(response.get("statusCode").asInt()).as(name + ": " + response).isEqualTo(200);
            JsonNode summary = httpBody(response);
            assertThat(summary.get("failed").asInt()).as(name).isZero();
            assertThat(summary.get("ignored").asInt()).as(name).isEqualTo(summary.get("events").size());
        }
    }
}
