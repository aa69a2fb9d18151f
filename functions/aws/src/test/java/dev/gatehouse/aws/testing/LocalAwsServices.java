package dev.gatehouse.aws.testing;

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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import dev.gatehouse.aws.GatehouseTable;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Starts DynamoDB Local and S3Mock (separate JVMs, from the jars functions/aws-test-services
 * copied) and ElasticMQ (in this JVM) on free loopback ports, all three in parallel, once per test
 * run, from the first test class (the extension is auto-registered, see junit-platform.properties);
 * JUnit closes them when the run ends. A test asks for the service it needs and waits only
 * for that one; if it could not start, the test is skipped with the reason. Clients point at
 * 127.0.0.1 with a static region and static credentials, so nothing reaches AWS or probes
 * instance metadata.
 */
public final class LocalAwsServices implements BeforeAllCallback {

    // Generous: S3Mock has taken over 200 s to start on a machine shared by many builds.
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    private static final Region REGION = Region.US_EAST_1;
    private static final StaticCredentialsProvider CREDENTIALS =
            // DynamoDB Local accepts only letters and digits in access key ids.
            StaticCredentialsProvider.create(AwsBasicCredentials.create("gatehousetest", "gatehousetest"));

    static {
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    private static volatile Services services;
    private static GatehouseTable table;
    private static String bucket;

    @Override
    public void beforeAll(ExtensionContext context) {
        services = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(LocalAwsServices.class, k -> Services.start(), Services.class);
    }

    /** A DynamoDB client on DynamoDB Local, built once per run. */
    public static DynamoDbClient dynamoDb() {
        return available(running()::dynamoDb);
    }

    public static S3Client s3() {
        return available(running()::s3);
    }

    public static SqsClient sqs() {
        return available(running()::sqs);
    }

    /** The Gatehouse table on DynamoDB Local, created once per run and shared by the tests. */
    public static synchronized GatehouseTable table() {
        DynamoDbClient client = dynamoDb();
        if (table == null) {
            GatehouseTable created = new GatehouseTable(client, "gatehouse-test");
            created.create();
            table = created;
        }
        return table;
    }

    /** A bucket on S3Mock, created once per run; tests use distinct key prefixes. */
    public static synchronized String bucket() {
        S3Client client = s3();
        if (bucket == null) {
            client.createBucket(b -> b.bucket("gatehouse-test"));
            bucket = "gatehouse-test";
        }
        return bucket;
    }

    /** The URL of a new, empty queue on ElasticMQ. */
    public static String newQueue() {
        return sqs().createQueue(b -> b.queueName("gatehouse-" + UUID.randomUUID())).queueUrl();
    }

    private static Services running() {
        Assumptions.assumeTrue(services != null, "LocalAwsServices extension not registered on this test class");
        return services;
    }

    /** The service, or the test skipped with the reason it could not start. */
    private static <T> T available(Supplier<T> service) {
        try {
            return service.get();
        } catch (IllegalStateException e) {
            Assumptions.abort(e.getMessage() + ", skipping");
            throw e;
        }
    }

    /**
     * The three services, also for test harnesses outside JUnit's extension model (the Lambda
     * module's Quarkus test resource): {@link #start()} launches them in parallel, the accessors wait
     * for the one asked for, and closing stops them.
     */
    public static final class Services implements AutoCloseable {

        private final List<Process> processes = new ArrayList<>();
        private final SdkHttpClient http = UrlConnectionHttpClient.builder().build();
        private volatile SQSRestServer elasticMq;
        private final CompletableFuture<DynamoDbClient> dynamoDb;
        private final CompletableFuture<S3Client> s3;
        private final CompletableFuture<SqsClient> sqs;

        private Services() {
            Path home = Path.of(System.getProperty("gatehouse.aws.test-services", "../aws-test-services/target"));
            Path logs = Path.of("target", "aws-test-services-logs");
            dynamoDb = CompletableFuture.supplyAsync(() -> startDynamoDb(home.resolve("dynamodb-local"), logs));
            s3 = CompletableFuture.supplyAsync(() -> startS3Mock(home.resolve("s3mock/s3mock-exec.jar"), logs));
            sqs = CompletableFuture.supplyAsync(this::startElasticMq);
            Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        }

        public static Services start() {
            return new Services();
        }

        /** DynamoDB Local's client, once it answers; a service that could not start fails with the reason. */
        public DynamoDbClient dynamoDb() {
            return started("DynamoDB Local", dynamoDb);
        }

        public S3Client s3() {
            return started("S3Mock", s3);
        }

        public SqsClient sqs() {
            return started("ElasticMQ", sqs);
        }

        /** The loopback endpoint a client of these services talks to. */
        public static String endpoint(SdkClient client) {
            return client.serviceClientConfiguration().endpointOverride().orElseThrow().toString();
        }

        private static <T> T started(String name, CompletableFuture<T> service) {
            try {
                return service.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(name + " could not start: " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException(name + " did not start within " + START_TIMEOUT.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name);
            }
        }

        private DynamoDbClient startDynamoDb(Path lib, Path logs) {
            if (!Files.isDirectory(lib)) {
                throw new IllegalStateException("no DynamoDB Local at " + lib.toAbsolutePath()
                        + " (built by functions/aws-test-services; run through the reactor with -am)");
            }
            int port = freePort();
            Process process = launch(logs.resolve("dynamodb-local.log"), List.of(
                    javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Dsqlite4java.library.path=" + lib.toAbsolutePath(),
                    "-cp", lib.toAbsolutePath() + "/*",
                    "com.amazonaws.services.dynamodbv2.local.main.ServerRunner",
                    "-inMemory", "-disableTelemetry", "-port", Integer.toString(port)));
            awaitPort(process, port, logs.resolve("dynamodb-local.log"));
            return DynamoDbClient.builder()
                    .endpointOverride(URI.create("http://127.0.0.1:" + port))
                    .region(REGION).credentialsProvider(CREDENTIALS).httpClient(http)
                    .build();
        }

        private S3Client startS3Mock(Path jar, Path logs) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("no S3Mock jar at " + jar.toAbsolutePath()
                        + " (copied by functions/aws-test-services; run through the reactor with -am)");
            }
            int port = freePort();
            Path root;
            try {
                root = Files.createTempDirectory("gatehouse-s3mock");
            } catch (IOException e) {
                throw new IllegalStateException("cannot create the S3Mock store folder: " + e.getMessage(), e);
            }
            // The main connector serves plain HTTP on loopback; the extra connectors get free ports.
            Process process = launch(logs.resolve("s3mock.log"), List.of(
                    javaBinary(), "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-jar", jar.toAbsolutePath().toString(),
                    "--server.address=127.0.0.1", "--server.port=" + port, "--server.ssl.enabled=false",
                    "--http.port=0", "--vectors.http.port=" + freePort(), "--vectors.https.port=" + freePort(),
                    "--spring.jmx.enabled=false",
                    "--com.adobe.testing.s3mock.store.root=" + root,
                    "--com.adobe.testing.s3mock.store.retain-files-on-exit=false"));
            awaitHttp(process, port, logs.resolve("s3mock.log"));
            return S3Client.builder()
                    .endpointOverride(URI.create("http://127.0.0.1:" + port))
                    .forcePathStyle(true)
                    .region(REGION).credentialsProvider(CREDENTIALS).httpClient(http)
                    .build();
        }

        private SqsClient startElasticMq() {
            elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
            int port = elasticMq.waitUntilStarted().localAddress().getPort();
            return SqsClient.builder()
                    .endpointOverride(URI.create("http://127.0.0.1:" + port))
                    .region(REGION).credentialsProvider(CREDENTIALS).httpClient(http)
                    .build();
        }

        private Process launch(Path log, List<String> command) {
            try {
                Files.createDirectories(log.getParent());
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
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

        private static void awaitPort(Process process, int port, Path log) {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
                }
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return;
                } catch (IOException notYet) {
                    sleep();
                }
            }
            throw new IllegalStateException("port " + port + " not open; see " + log.toAbsolutePath());
        }

        private static void awaitHttp(Process process, int port, Path log) {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
                }
                try {
                    HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
                    connection.setConnectTimeout(1000);
                    connection.setReadTimeout(5000);
                    connection.getResponseCode();
                    connection.disconnect();
                    return;
                } catch (IOException notYet) {
                    sleep();
                }
            }
            throw new IllegalStateException("no HTTP answer on port " + port + "; see " + log.toAbsolutePath());
        }

        private static void sleep() {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        @Override
        public void close() {
            synchronized (processes) {
                for (Process process : processes) {
                    process.destroy();
                }
                for (Process process : processes) {
                    try {
                        if (!process.waitFor(10, TimeUnit.SECONDS)) {
                            process.destroyForcibly();
                        }
                    } catch (InterruptedException e) {
                        process.destroyForcibly();
                        Thread.currentThread().interrupt();
                    }
                }
                processes.clear();
            }
            SQSRestServer server = elasticMq;
            elasticMq = null;
            if (server != null) {
                server.stopAndWait();
            }
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A port nobody listens on right now (bound and released on 127.0.0.1). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
        }
    }
}
