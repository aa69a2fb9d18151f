package dev.gatehouse.lambda.testing;

import dev.gatehouse.aws.GatehouseTable;
import dev.gatehouse.aws.testing.CodeBuildStub;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.rego.archive.BoundedTarGz;
import dev.gatehouse.rego.bundle.BundleFiles;
import dev.gatehouse.rego.bundle.BundleVerification;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signing.LocalKeySigner;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Everything a function needs, on loopback, for {@code @QuarkusTest}s driven through the Lambda
 * mock event server: DynamoDB Local and S3Mock as separate JVMs (DynamoDB Local's classpath
 * conflicts with Quarkus'), the tables and buckets of template.yaml, the hardened policy bundle and
 * a sample trust configuration in the bundle bucket, EventBridge, Secrets Manager and CodeBuild stubs, the real
 * distribution registry (null when it is not installed). Use it through a {@link FunctionProfile}. Static accessors let the test read what the function wrote.
 */
public final class LocalAwsStack implements QuarkusTestResourceLifecycleManager {

    public static final String WEBHOOK_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:gatehouse-webhook-AbCdEf";
    public static final String WEBHOOK_SECRET = "webhook-secret-" + UUID.randomUUID();
    public static final String EVENT_BUS = "gatehouse-verdicts";
    private static final Region REGION = Region.US_EAST_1;
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("gatehousetest", "gatehousetest"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

    public static LocalKeySigner signer;
    public static LocalRegistry registry;
    public static AwsStubEndpoint stub;
    public static CodeBuildStub codebuild;
    public static DynamoDbClient dynamoDb;
    public static S3Client s3;
    public static Map<String, String> tables = new HashMap<>();
    public static String policyRevision;

    private final List<Process> processes = new ArrayList<>();
    private final SdkHttpClient http = UrlConnectionHttpClient.builder().build();
    @Override
    public Map<String, String> start() {
        System.setProperty("aws.disableEc2Metadata", "true");
        System.setProperty("aws.accessKeyId", "gatehousetest");
        System.setProperty("aws.secretAccessKey", "gatehousetest");
        try {
            Path home = Path.of(System.getProperty("gatehouse.aws.test-services", "../aws-test-services/target"));
            Path logs = Path.of("target", "aws-test-services-logs");
            CompletableFuture<Integer> dynamoPort = CompletableFuture.supplyAsync(() -> startDynamoDb(home.resolve("dynamodb-local"), logs));
            CompletableFuture<Integer> s3Port = CompletableFuture.supplyAsync(() -> startS3Mock(home.resolve("s3mock/s3mock-exec.jar"), logs));
            if (!Boolean.getBoolean("gatehouse.it.skip") && Files.isExecutable(Path.of(LocalRegistry.BINARY))) {
                registry = LocalRegistry.anonymous();
                registry.start();
            }
            stub = new AwsStubEndpoint();
            stub.secret(WEBHOOK_SECRET_ARN, WEBHOOK_SECRET);
            codebuild = CodeBuildStub.start();
            String dynamoEndpoint = "http://127.0.0.1:" + dynamoPort.join();
            String s3Endpoint = "http://127.0.0.1:" + s3Port.join();
            dynamoDb = DynamoDbClient.builder().endpointOverride(URI.create(dynamoEndpoint)).region(REGION).credentialsProvider(CREDENTIALS)
                    .httpClient(http).build();
            s3 = S3Client.builder().endpointOverride(URI.create(s3Endpoint)).forcePathStyle(true).region(REGION)
                    .credentialsProvider(CREDENTIALS).httpClient(http).build();
            for (String table : List.of("results", "cache", "idempotency", "graph")) {
                String name = "gatehouse-" + table;
                new GatehouseTable(dynamoDb, name).create();
                tables.put(table, name);
            }
            s3.createBucket(b -> b.bucket("gatehouse-bundles"));
            s3.createBucket(b -> b.bucket("gatehouse-reports"));
            stageBundleBucket();

            Map<String, String> config = new HashMap<>();
            config.put("gatehouse.results-table", tables.get("results"));
            config.put("gatehouse.cache-table", tables.get("cache"));
            config.put("gatehouse.idempotency-table", tables.get("idempotency"));
            config.put("gatehouse.graph-table", tables.get("graph"));
            config.put("gatehouse.bundle-bucket", "gatehouse-bundles");
            config.put("gatehouse.report-bucket", "gatehouse-reports");
            config.put("gatehouse.event-bus", EVENT_BUS);
            config.put("gatehouse.policy-revision", policyRevision);
            config.put("gatehouse.webhook-secret-arn", WEBHOOK_SECRET_ARN);
            config.put("gatehouse.trust-config", "trust/" + SampleTrust.TRUST_CONFIG);
            config.put("gatehouse.trusted-builders", "trust/" + SampleTrust.TRUSTED_BUILDERS);
            // Only the local registry is verified: events naming ECR or other hosts must never reach out.
            config.put("gatehouse.registry.hosts", registry == null ? "127.0.0.1:1" : registry.host());
            config.put("gatehouse.registry.plain-http-unsafe", registry == null ? "127.0.0.1:1" : registry.host());
            config.put("gatehouse.aws.region", REGION.id());
            config.put("gatehouse.aws.dynamodb-endpoint", dynamoEndpoint);
            config.put("gatehouse.aws.s3-endpoint", s3Endpoint);
            config.put("gatehouse.aws.eventbridge-endpoint", stub.url());
            config.put("gatehouse.aws.secretsmanager-endpoint", stub.url());
            config.put("gatehouse.rebuild.codebuild-endpoint", codebuild.url());
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
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    private int startDynamoDb(Path lib, Path logs) {
        require(lib);
        int port = freePort();
        Process process = launch(logs.resolve("lambda-dynamodb-local.log"), List.of(javaBinary(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dsqlite4java.library.path=" + lib.toAbsolutePath(),
                "-cp", lib.toAbsolutePath() + "/*", "com.amazonaws.services.dynamodbv2.local.main.ServerRunner",
                "-inMemory", "-disableTelemetry", "-port", Integer.toString(port)));
        await(process, port, false);
        return port;
    }

    private int startS3Mock(Path jar, Path logs) {
        require(jar);
        int port = freePort();
        Path root;
        try {
            root = Files.createTempDirectory("gatehouse-s3mock");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Process process = launch(logs.resolve("lambda-s3mock.log"), List.of(javaBinary(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-jar", jar.toAbsolutePath().toString(), "--server.address=127.0.0.1", "--server.port=" + port,
                "--server.ssl.enabled=false", "--http.port=0", "--vectors.http.port=" + freePort(), "--vectors.https.port=" + freePort(),
                "--spring.jmx.enabled=false", "--com.adobe.testing.s3mock.store.root=" + root,
                "--com.adobe.testing.s3mock.store.retain-files-on-exit=false"));
        await(process, port, true);
        return port;
    }

    private static void require(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException("no " + path.toAbsolutePath() + " (copied by functions/aws-test-services; build through the reactor with -am)");
        }
    }

    private Process launch(Path log, List<String> command) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("DDB_LOCAL_TELEMETRY", "0");
            Process process = builder.start();
            synchronized (processes) {
                processes.add(process);
            }
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("cannot launch " + command.get(command.size() - 1) + ": " + e.getMessage(), e);
        }
    }

    private static void await(Process process, int port, boolean http) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("local service on port " + port + " exited with " + process.exitValue());
            }
            try {
                if (http) {
                    HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
                    connection.setConnectTimeout(1000);
                    connection.setReadTimeout(5000);
                    connection.getResponseCode();
                    connection.disconnect();
                } else {
                    new Socket(InetAddress.getLoopbackAddress(), port).close();
                }
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        throw new IllegalStateException("local service on port " + port + " did not start within " + START_TIMEOUT.toSeconds() + " s");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
