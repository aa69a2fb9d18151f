package dev.gatehouse.lambda;

import dev.gatehouse.aws.DynamoDbIdempotencyKeys;
import dev.gatehouse.aws.DynamoDbImageGraph;
import dev.gatehouse.aws.DynamoDbResultStore;
import dev.gatehouse.aws.DynamoDbVerdictCache;
import dev.gatehouse.aws.EventBridgePublisher;
import dev.gatehouse.aws.GatehouseTable;
import dev.gatehouse.aws.S3BlobStore;
import dev.gatehouse.aws.SecretsManagerSecrets;
import dev.gatehouse.aws.SqsWorkQueue;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.ports.EventPublisher;
import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.ports.WorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS implementations of the core ports (functions/aws) and their SDK clients, shared by every
 * function. Beans are singletons created on first use, so a function only builds the clients it
 * needs; a missing table or bucket name fails that first use with the variable's name.
 */
@ApplicationScoped
public class AwsPortProducers {

    /** The reports blob store, as opposed to the bundle bucket's. */
    public static final String REPORTS = "reports";
    /** The bundle bucket's blob store: policy bundles and the trust configuration. */
    public static final String BUNDLES = "bundles";

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    JsonLog log() {
        return JsonLog.to(System.out).with("function", System.getenv().getOrDefault("QUARKUS_FUNQY_EXPORT", "gatehouse"));
    }

    @Produces
    @Singleton
    Metrics metrics() {
        return Metrics.to(System.out, "Gatehouse");
    }

    @Produces
    @Singleton
    SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder().build();
    }

    @Produces
    @Singleton
    DynamoDbClient dynamoDb(GatehouseConfig config, SdkHttpClient http) {
        return configure(DynamoDbClient.builder().httpClient(http), config, config.aws().dynamodbEndpoint()).build();
    }

    @Produces
    @Singleton
    S3Client s3(GatehouseConfig config, SdkHttpClient http) {
        return configure(S3Client.builder().httpClient(http).forcePathStyle(config.aws().s3Endpoint().isPresent()), config,
                config.aws().s3Endpoint()).build();
    }

    @Produces
    @Singleton
    EventBridgeClient eventBridge(GatehouseConfig config, SdkHttpClient http) {
        return configure(EventBridgeClient.builder().httpClient(http), config, config.aws().eventbridgeEndpoint()).build();
    }

    @Produces
    @Singleton
    SqsClient sqs(GatehouseConfig config, SdkHttpClient http) {
        return configure(SqsClient.builder().httpClient(http), config, config.aws().sqsEndpoint()).build();
    }

    @Produces
    @Singleton
    SecretsManagerSecrets secrets(GatehouseConfig config, SdkHttpClient http, Clock clock) {
        SecretsManagerClient client = configure(SecretsManagerClient.builder().httpClient(http), config,
                config.aws().secretsmanagerEndpoint()).build();
        return new SecretsManagerSecrets(client, clock, Duration.ofMinutes(5));
    }

    @Produces
    @Singleton
    ResultStore results(GatehouseConfig config, DynamoDbClient client) {
        return new DynamoDbResultStore(new GatehouseTable(client, required(config.resultsTable(), "GATEHOUSE_RESULTS_TABLE")));
    }

    @Produces
    @Singleton
    VerdictCache verdicts(GatehouseConfig config, DynamoDbClient client, Clock clock) {
        return new DynamoDbVerdictCache(new GatehouseTable(client, required(config.cacheTable(), "GATEHOUSE_CACHE_TABLE")), clock);
    }

    @Produces
    @Singleton
    IdempotencyKeys idempotency(GatehouseConfig config, DynamoDbClient client, Clock clock) {
        return new DynamoDbIdempotencyKeys(new GatehouseTable(client, required(config.idempotencyTable(), "GATEHOUSE_IDEMPOTENCY_TABLE")),
                clock);
    }

    @Produces
    @Singleton
    ImageGraph graph(GatehouseConfig config, DynamoDbClient client) {
        return new DynamoDbImageGraph(new GatehouseTable(client, required(config.graphTable(), "GATEHOUSE_GRAPH_TABLE")));
    }

    @Produces
    @Singleton
    @Named(REPORTS)
    S3BlobStore reports(GatehouseConfig config, S3Client client) {
        return new S3BlobStore(client, required(config.reportBucket(), "GATEHOUSE_REPORT_BUCKET"), "");
    }

    @Produces
    @Singleton
    @Named(BUNDLES)
    S3BlobStore bundles(GatehouseConfig config, S3Client client) {
        return new S3BlobStore(client, required(config.bundleBucket(), "GATEHOUSE_BUNDLE_BUCKET"), "");
    }

    @Produces
    @Singleton
    EventPublisher events(GatehouseConfig config, EventBridgeClient client) {
        return new EventBridgePublisher(client, required(config.eventBus(), "GATEHOUSE_EVENT_BUS"));
    }

    @Produces
    @Singleton
    WorkQueue queue(GatehouseConfig config, SqsClient client) {
        return new SqsWorkQueue(client, required(config.scanQueueUrl(), "GATEHOUSE_SCAN_QUEUE_URL"));
    }

    /** The value of a setting a function needs, or a one-line failure naming its environment variable. */
    public static String required(Optional<String> value, String environmentVariable) {
        return value.filter(v -> !v.isBlank()).orElseThrow(
                () -> new IllegalStateException(environmentVariable + " is not set (see docs/deploy.md)"));
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, GatehouseConfig config, Optional<String> endpoint) {
        config.aws().region().map(Region::of).ifPresent(builder::region);
        endpoint.map(URI::create).ifPresent(builder::endpointOverride);
        return builder;
    }
}
