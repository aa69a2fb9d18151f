package dev.gatehouse.lambda.scan;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.aws.DynamoDbResultStore;
import dev.gatehouse.aws.GatehouseTable;
import dev.gatehouse.aws.S3BlobStore;
import dev.gatehouse.handlers.scan.RegistryCatalogEnumerator;
import dev.gatehouse.handlers.scan.ScanKeys;
import dev.gatehouse.handlers.scan.ScanPlan;
import dev.gatehouse.handlers.scan.ScanPlanner;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.lambda.testing.FunctionProfile;
import dev.gatehouse.lambda.testing.LocalAwsStack;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.ports.ImageEnumerator;
import dev.gatehouse.ports.WorkQueue;
import dev.gatehouse.ports.local.InMemoryWorkQueue;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code compliance-scan-worker} through the Lambda mock event server with a real SQS event batch
 * (the messages the planner wrote for images in the real local registry, plus a broken one):
 * results land in DynamoDB Local, reports in S3Mock, and only the broken message is reported in
 * the partial-batch response.
 */
@QuarkusTest
@TestProfile(ComplianceScanWorkerFunctionTest.Profile.class)
class ComplianceScanWorkerFunctionTest {

    public static final class Profile extends FunctionProfile {
        @Override
        protected String export() {
            return "compliance-scan-worker";
        }
    }

    static JsonNode invoke(JsonNode event) throws Exception {
        String body = given().port(FunctionProfile.EVENT_SERVER_PORT).contentType("application/json").accept("application/json")
                .body(event.toString()).when().post().then().extract().asString();
        return UntrustedJson.parse(body.getBytes(StandardCharsets.UTF_8), "lambda response");
    }

    /** An SQS event record as Lambda's SQS event source delivers it. */
    static void record(ArrayNode records, String messageId, String body) {
        ObjectNode r = records.addObject();
        r.put("messageId", messageId);
        r.put("receiptHandle", "AQEB" + UUID.randomUUID());
        r.put("body", body);
        ObjectNode attributes = r.putObject("attributes");
        attributes.put("ApproximateReceiveCount", "1");
        attributes.put("SentTimestamp", Long.toString(System.currentTimeMillis()));
        attributes.put("SenderId", "AIDAIENQZJOLO23YVJ4VO");
        attributes.put("ApproximateFirstReceiveTimestamp", Long.toString(System.currentTimeMillis()));
        r.putObject("messageAttributes");
        r.put("md5OfBody", "0");
        r.put("eventSource", "aws:sqs");
        r.put("eventSourceARN", "arn:aws:sqs:us-east-1:111122223333:gatehouse-scan");
        r.put("awsRegion", "us-east-1");
    }

    @Test
    void aBatchOfScanMessagesIsVerifiedSummarisedAndOnlyTheBrokenMessageFails() throws Exception {
        assumeTrue(LocalAwsStack.registry != null, "docker-registry not installed: compliance-scan-worker test skipped");
        String path = "scan/app-" + UUID.randomUUID().toString().substring(0, 8);
        SampleImages samples = new SampleImages(LocalAwsStack.registry.repository(path), LocalAwsStack.signer, Instant.now());
        SampleImages.Built good = samples.build(LocalAwsStack.registry.host() + "/" + path, "v1", Set.of());
        SampleImages.Built root = samples.build(LocalAwsStack.registry.host() + "/" + path, "v2", EnumSet.of(SampleDefect.ROOT_USER));

        S3BlobStore reports = new S3BlobStore(LocalAwsStack.s3, "gatehouse-reports", "");
        WorkQueue queue = new InMemoryWorkQueue(Clock.systemUTC());
        ScanPlan plan = new ScanPlanner(new RegistryCatalogEnumerator(new OciRepositories(LocalAwsStack.registry.credentials(),
                LocalAwsStack.registry.options()), LocalAwsStack.registry.host()), queue, reports, Clock.systemUTC(), 1, s -> { })
                .plan(new ImageEnumerator.Scope(List.of(path), 10));
        assertThat(plan.batches()).isEqualTo(2);

        ObjectNode event = UntrustedJson.mapper().createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (WorkQueue.Message m : queue.receive(10, Duration.ZERO, Duration.ofMinutes(1))) {
            record(records, m.id(), m.body());
        }
        record(records, "broken-message", "{\"schema\":\"nonsense\"}");

        JsonNode response = invoke(event);

        assertThat(response.path("batchItemFailures")).as(response.toString()).hasSize(1);
        assertThat(response.at("/batchItemFailures/0/itemIdentifier").asText()).isEqualTo("broken-message");
        DynamoDbResultStore results = new DynamoDbResultStore(new GatehouseTable(LocalAwsStack.dynamoDb, LocalAwsStack.tables.get("results")));
        assertThat(results.latest(good.image().digest()).orElseThrow().decision()).isEqualTo(Decision.Outcome.ALLOW);
        assertThat(results.latest(root.image().digest()).orElseThrow().decision()).isEqualTo(Decision.Outcome.DENY);
        JsonNode summary = UntrustedJson.parse(reports.get(ScanKeys.summary(plan.scanId()), 1 << 24).orElseThrow(), "summary");
        assertThat(summary.path("complete").asBoolean()).isTrue();
        assertThat(summary.at("/decisions/allow").asInt()).isEqualTo(1);
        assertThat(summary.at("/decisions/deny").asInt()).isEqualTo(1);
        assertThat(summary.at("/violations_by_rule/GH-NONROOT").asInt()).isEqualTo(1);
        assertThat(new String(reports.get(ScanKeys.html(plan.scanId()), 1 << 24).orElseThrow(), StandardCharsets.UTF_8))
                .contains("<svg").contains(plan.scanId());
    }
}
