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
import dev.gatehouse.aws.testing.KmsStub;
import dev.gatehouse.cli.Gatehouse;
import dev.gatehouse.handlers.push.testing.RegistryEnvelopes;
import dev.gatehouse.handlers.scan.ScanKeys;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.lambda.PolicyPriming;
import dev.gatehouse.lambda.testing.FunctionProfile;
import dev.gatehouse.lambda.testing.LocalAwsStack;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.signing.ReportSigner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code compliance-scan} end to end: an EventBridge scheduled event through the Lambda mock event
 * server makes the planner list the real local registry's catalog and put its batches on the real
 * SQS queue (ElasticMQ); the test then does what Lambda's SQS event source mapping does (receive,
 * hand each message to {@code compliance-scan-worker} as an SQS event, delete what was not reported
 * failed). The mock event server serves only the exported function, so the worker is invoked on its
 * bean in the same application (it is driven through the event server in
 * {@link ComplianceScanWorkerFunctionTest}). Per-image results, the summary JSON and the HTML page
 * land in S3Mock, results in DynamoDB Local, and the queue ends empty. The reports are signed with
 * the KMS key, and {@code gatehouse verify-report} verifies them with the public key
 * {@code gatehouse keys export --kms-key-id} prints.
 */
@QuarkusTest
@TestProfile(ComplianceScanFunctionTest.Profile.class)
class ComplianceScanFunctionTest {

    static final int IMAGES_PER_BATCH = 3;

    public static final class Profile extends FunctionProfile {
        @Override
        protected String export() {
            return "compliance-scan";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("gatehouse.scan.images-per-batch", Integer.toString(IMAGES_PER_BATCH));
            // Reports signed in KMS (LocalAwsStack's KMS stub, on KMS's documented wire format: no KMS runs here).
            config.put("gatehouse.signing.key-id", KmsStub.ARN);
            return config;
        }
    }

    @Inject
    ComplianceScanFunctions functions;

    /** A scheduled event as an EventBridge schedule rule (template.yaml's Schedule event) delivers it. */
    static JsonNode scheduledEvent() {
        ObjectNode event = RegistryEnvelopes.eventBridgeEvent("aws.events", "Scheduled Event");
        ((ArrayNode) event.get("resources")).add("arn:aws:events:eu-west-1:111122223333:rule/gatehouse-ComplianceScanFunctionSchedule-1A2B3C");
        return event;
    }

    @Inject
    PolicyPriming priming;

    @Test
    void theScanPlannerVerifiesNothingSoItPrimesNoPolicy() {
        assertThat(priming.primed()).isEmpty();
    }

    @Test
    void aScheduledScanListsTheCatalogFansOutThroughSqsAndEndsInSignedOffReports() throws Exception {
        assumeTrue(LocalAwsStack.registry != null, "docker-registry not installed: compliance-scan end-to-end test skipped");
        String host = LocalAwsStack.registry.host();
        Instant now = Instant.now();
        Map<String, SampleImages.Built> images = new HashMap<>();
        for (String app : List.of("shop/cart", "shop/checkout")) {
            SampleImages samples = new SampleImages(LocalAwsStack.registry.repository(app), LocalAwsStack.signer, now);
            images.put(app + ":good", samples.build(host + "/" + app, "v1", Set.of()));
        }
        images.put("shop/cart:root", new SampleImages(LocalAwsStack.registry.repository("shop/cart"), LocalAwsStack.signer, now)
                .build(host + "/shop/cart", "v2", EnumSet.of(SampleDefect.ROOT_USER)));
        images.put("shop/checkout:unsigned", new SampleImages(LocalAwsStack.registry.repository("shop/checkout"), LocalAwsStack.signer,
                now).build(host + "/shop/checkout", "v2", EnumSet.of(SampleDefect.UNSIGNED)));

        String body = given().port(FunctionProfile.EVENT_SERVER_PORT).contentType("application/json").accept("application/json")
                .body(scheduledEvent().toString()).when().post().then().extract().asString();
        JsonNode planned = UntrustedJson.parse(body.getBytes(StandardCharsets.UTF_8), "lambda response");

        // The signature and attestation tags SampleImages pushed are not images to scan.
        assertThat(planned.path("images").asInt()).as(body).isEqualTo(4);
        assertThat(planned.path("batches").asInt()).isEqualTo(2);
        assertThat(planned.path("unlisted").asInt()).isZero();
        String scanId = planned.path("scan_id").asText();

        List<Message> delivered = drainThroughWorker();
        assertThat(delivered).hasSize(2);
        assertThat(LocalAwsStack.sqs.getQueueAttributes(b -> b.queueUrl(LocalAwsStack.scanQueueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributesAsStrings().values()).containsOnly("0");

        S3BlobStore reports = new S3BlobStore(LocalAwsStack.s3, "gatehouse-reports", "");
        assertThat(planned.path("summary").asText()).isEqualTo(ScanKeys.summary(scanId));
        JsonNode summary = UntrustedJson.parse(reports.get(ScanKeys.summary(scanId), 1 << 24).orElseThrow(), "summary");
        assertThat(summary.path("complete").asBoolean()).as(summary.toString()).isTrue();
        assertThat(summary.at("/decisions/allow").asInt()).isEqualTo(2);
        assertThat(summary.at("/decisions/deny").asInt()).isEqualTo(2);
        assertThat(summary.at("/decisions/error").asInt()).isZero();
        assertThat(summary.at("/violations_by_rule/GH-NONROOT").asInt()).isEqualTo(1);
        assertThat(summary.at("/violations_by_rule/GH-SIGNED").asInt()).isEqualTo(1);
        assertThat(new String(reports.get(ScanKeys.html(scanId), 1 << 24).orElseThrow(), StandardCharsets.UTF_8))
                .contains("<svg").contains(scanId);

        DynamoDbResultStore results = new DynamoDbResultStore(new GatehouseTable(LocalAwsStack.dynamoDb, LocalAwsStack.tables.get("results")));
        for (Map.Entry<String, SampleImages.Built> image : images.entrySet()) {
            String repository = image.getKey().substring(0, image.getKey().indexOf(':'));
            Decision.Outcome expected = image.getKey().endsWith(":good") ? Decision.Outcome.ALLOW : Decision.Outcome.DENY;
            JsonNode perImage = UntrustedJson.parse(reports.get(ScanKeys.image(scanId, host, repository, image.getValue().image().digest()),
                    1 << 24).orElseThrow(), "image result");
            assertThat(perImage.path("scan_id").asText()).isEqualTo(scanId);
            assertThat(perImage.at("/result/status").asText()).as(image.getKey()).isEqualToIgnoringCase(expected.name());
            assertThat(results.latest(image.getValue().image().digest()).orElseThrow().decision()).as(image.getKey()).isEqualTo(expected);
        }

        Path downloads = Files.createTempDirectory("gatehouse-scan-reports");
        Path publicKey = downloads.resolve("gatehouse.pub");
        Files.writeString(publicKey, gatehouse("keys", "export", "--kms-key-id", KmsStub.ARN, "--kms-endpoint",
                LocalAwsStack.kms.endpoint().toString(), "--kms-region", LocalAwsStack.kms.region().id())
                .out());
        SampleImages.Built denied = images.get("shop/cart:root");
        for (String key : List.of(ScanKeys.summary(scanId), ScanKeys.html(scanId),
                ScanKeys.image(scanId, host, "shop/cart", denied.image().digest()))) {
            Path report = download(reports, key, downloads);
            download(reports, key + ReportSigner.SIGNATURE_SUFFIX, downloads);
            Run verified = gatehouse("verify-report", report.toString(), "--key", publicKey.toString());
            assertThat(verified.exit()).as(key + ": " + verified.err()).isZero();
            assertThat(verified.out()).contains("PASSED");
            Files.write(report, (Files.readString(report) + " ").getBytes(StandardCharsets.UTF_8));
            assertThat(gatehouse("verify-report", report.toString(), "--key", publicKey.toString()).exit()).as("tampered " + key)
                    .isEqualTo(1);
        }
        assertThat(reports.get(ScanKeys.plan(scanId) + ReportSigner.SIGNATURE_SUFFIX, 1024)).as("working state is not signed").isEmpty();
    }

    record Run(int exit, String out, String err) {}

    /** The gatehouse command line, in process. */
    static Run gatehouse(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Gatehouse.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Path download(S3BlobStore reports, String key, Path dir) throws Exception {
        Path file = dir.resolve(key.substring(key.lastIndexOf('/') + 1));
        Files.write(file, reports.get(key, 1 << 24).orElseThrow(() -> new AssertionError("no " + key)));
        return file;
    }

    /**
     * Lambda's SQS event source mapping: receive, invoke the worker with the records as an SQS event,
     * delete the messages it did not report in {@code batchItemFailures}; until the queue is empty.
     */
    private List<Message> drainThroughWorker() {
        List<Message> delivered = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        for (int emptyPolls = 0; emptyPolls < 3; ) {
            List<Message> messages = LocalAwsStack.sqs.receiveMessage(b -> b.queueUrl(LocalAwsStack.scanQueueUrl).maxNumberOfMessages(5)
                    .waitTimeSeconds(1).visibilityTimeout(300)).messages();
            if (messages.isEmpty()) {
                emptyPolls++;
                continue;
            }
            for (Message message : messages) {
                ObjectNode event = UntrustedJson.mapper().createObjectNode();
                ComplianceScanWorkerFunctionTest.record(event.putArray("Records"), message.messageId(), message.body());
                JsonNode response = functions.complianceScanWorker(event);
                response.path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
                if (!failed.contains(message.messageId())) {
                    LocalAwsStack.sqs.deleteMessage(b -> b.queueUrl(LocalAwsStack.scanQueueUrl).receiptHandle(message.receiptHandle()));
                }
                delivered.add(message);
            }
        }
        assertThat(failed).as("messages the worker reported failed").isEmpty();
        return delivered;
    }
}
