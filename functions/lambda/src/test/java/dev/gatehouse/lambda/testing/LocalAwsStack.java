package dev.gatehouse.lambda.testing;

import dev.gatehouse.aws.GatehouseTable;
import dev.gatehouse.aws.testing.CodeBuildStub;
import dev.gatehouse.aws.testing.KmsStub;
import dev.gatehouse.aws.testing.LocalAwsServices;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.rego.archive.BoundedTarGz;
import dev.gatehouse.rego.bundle.BundleFiles;
import dev.gatehouse.rego.bundle.BundleVerification;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signing.LocalKeySigner;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Everything a function needs, on loopback, for {@code @QuarkusTest}s driven through the Lambda
 * mock event server: DynamoDB Local, S3Mock and ElasticMQ as the aws module's test fixtures start
 * them ({@link LocalAwsServices.Services}), the tables, buckets and scan queue of template.yaml, the
 * hardened policy bundle and a sample trust configuration in the bundle bucket, EventBridge, Secrets
 * Manager, CodeBuild and KMS stubs, the real distribution registry (null when it is not installed). Use it
 * through a {@link FunctionProfile}. Static fields let the test read what the function wrote.
 */
public final class LocalAwsStack implements QuarkusTestResourceLifecycleManager {

    public static final String WEBHOOK_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:gatehouse-webhook-AbCdEf";
    public static final String WEBHOOK_SECRET = "webhook-secret-" + UUID.randomUUID();
    public static final String ADMISSION_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:gatehouse-admission-GhIjKl";
    /** URL-safe, so the API server can also send it as the webhook URL's last path segment. */
    public static final String ADMISSION_SECRET = "admission-secret-" + UUID.randomUUID();
    public static final String EVENT_BUS = "gatehouse-verdicts";

    public static LocalKeySigner signer;
    public static LocalRegistry registry;
    public static AwsStubEndpoint stub;
    public static CodeBuildStub codebuild;
    /** KMS on its wire format; functions sign with it when a profile sets {@code gatehouse.signing.key-id} to {@link KmsStub#ARN}. */
    public static KmsStub kms;
    public static DynamoDbClient dynamoDb;
    public static S3Client s3;
    public static SqsClient sqs;
    /** The scan queue (as template.yaml's ScanQueue) the planner fills and the worker drains. */
    public static String scanQueueUrl;
    public static Map<String, String> tables = new HashMap<>();
    public static String policyRevision;

    private LocalAwsServices.Services services;

    @Override
    public Map<String, String> start() {
        System.setProperty("aws.disableEc2Metadata", "true");
        System.setProperty("aws.accessKeyId", "gatehousetest");
        System.setProperty("aws.secretAccessKey", "gatehousetest");
        try {
            services = LocalAwsServices.Services.start();
            if (!Boolean.getBoolean("gatehouse.it.skip") && Files.isExecutable(Path.of(LocalRegistry.BINARY))) {
                registry = LocalRegistry.anonymous();
                registry.start();
            }
            stub = new AwsStubEndpoint();
            stub.secret(WEBHOOK_SECRET_ARN, WEBHOOK_SECRET);
            stub.secret(ADMISSION_SECRET_ARN, ADMISSION_SECRET);
            codebuild = CodeBuildStub.start();
            dynamoDb = services.dynamoDb();
            s3 = services.s3();
            sqs = services.sqs();
            kms = KmsStub.start(dynamoDb.serviceClientConfiguration().region());
            for (String table : List.of("results", "cache", "idempotency", "graph")) {
                String name = "gatehouse-" + table;
                new GatehouseTable(dynamoDb, name).create();
                tables.put(table, name);
            }
            s3.createBucket(b -> b.bucket("gatehouse-bundles"));
            s3.createBucket(b -> b.bucket("gatehouse-reports"));
            stageBundleBucket();
            scanQueueUrl = sqs.createQueue(b -> b.queueName("gatehouse-scan")).queueUrl();

            Map<String, String> config = new HashMap<>();
            config.put("gatehouse.results-table", tables.get("results"));
            config.put("gatehouse.cache-table", tables.get("cache"));
            config.put("gatehouse.idempotency-table", tables.get("idempotency"));
            config.put("gatehouse.graph-table", tables.get("graph"));
            config.put("gatehouse.bundle-bucket", "gatehouse-bundles");
            config.put("gatehouse.report-bucket", "gatehouse-reports");
            config.put("gatehouse.scan-queue-url", scanQueueUrl);
            config.put("gatehouse.event-bus", EVENT_BUS);
            config.put("gatehouse.policy-revision", policyRevision);
            config.put("gatehouse.webhook-secret-arn", WEBHOOK_SECRET_ARN);
            config.put("gatehouse.admission.secret-arn", ADMISSION_SECRET_ARN);
            config.put("gatehouse.trust-config", "trust/" + SampleTrust.TRUST_CONFIG);
            config.put("gatehouse.trusted-builders", "trust/" + SampleTrust.TRUSTED_BUILDERS);
            // Only the local registry is verified: events naming ECR or other hosts must never reach out.
            config.put("gatehouse.registry.hosts", registry == null ? "127.0.0.1:1" : registry.host());
            config.put("gatehouse.registry.plain-http-unsafe", registry == null ? "127.0.0.1:1" : registry.host());
            config.put("gatehouse.scan.registry", registry == null ? "127.0.0.1:1" : registry.host());
            config.put("gatehouse.aws.region", dynamoDb.serviceClientConfiguration().region().id());
            config.put("gatehouse.aws.dynamodb-endpoint", LocalAwsServices.Services.endpoint(dynamoDb));
            config.put("gatehouse.aws.s3-endpoint", LocalAwsServices.Services.endpoint(s3));
            config.put("gatehouse.aws.sqs-endpoint", LocalAwsServices.Services.endpoint(sqs));
            config.put("gatehouse.aws.eventbridge-endpoint", stub.url());
            config.put("gatehouse.aws.secretsmanager-endpoint", stub.url());
            config.put("gatehouse.rebuild.codebuild-endpoint", codebuild.url());
            config.put("gatehouse.signing.kms-endpoint", kms.endpoint().toString());
            return config;
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("local AWS stack did not start: " + e.getMessage(), e);
        }
    }

    /** The embedded hardened bundle under its revision, and the sample trust configuration under trust/. */
    private void stageBundleBucket() throws Exception {
        Path hardened = Path.of(System.getProperty("gatehouse.repo", "../..")).resolve("policies/hardened");
        policyRevision = PolicyBundle.load(hardened, BundleVerification.NONE, null).revision();
        s3.putObject(b -> b.bucket("gatehouse-bundles").key("bundles/" + policyRevision + ".tar.gz"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(BoundedTarGz.write(BundleFiles.read(hardened))));
        signer = LocalKeySigner.generate("sample-publisher");
        Path trust = Files.createTempDirectory("gatehouse-trust-stage");
        SampleTrust.write(trust, signer);
        try (Stream<Path> files = Files.list(trust)) {
            for (Path file : files.toList()) {
                s3.putObject(b -> b.bucket("gatehouse-bundles").key("trust/" + file.getFileName()),
                        software.amazon.awssdk.core.sync.RequestBody.fromFile(file));
            }
        }
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.stop();
        }
        if (stub != null) {
            stub.close();
        }
        if (codebuild != null) {
            codebuild.close();
        }
        if (kms != null) {
            kms.close();
        }
        if (services != null) {
            services.close();
        }
    }
}
