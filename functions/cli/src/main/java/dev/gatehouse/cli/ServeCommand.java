package dev.gatehouse.cli;

import dev.gatehouse.aws.DynamoDbFindingLedger;
import dev.gatehouse.aws.DynamoDbIdempotencyKeys;
import dev.gatehouse.aws.DynamoDbImageGraph;
import dev.gatehouse.aws.DynamoDbResultStore;
import dev.gatehouse.aws.DynamoDbVerdictCache;
import dev.gatehouse.aws.GatehouseTable;
import dev.gatehouse.cli.serve.AdmissionRoutes;
import dev.gatehouse.cli.serve.HttpHost;
import dev.gatehouse.cli.serve.PushRoutes;
import dev.gatehouse.cli.serve.ScanRoutes;
import dev.gatehouse.cli.serve.SecretFile;
import dev.gatehouse.cli.serve.SlaRoutes;
import dev.gatehouse.cli.serve.Route;
import dev.gatehouse.cli.serve.ServeContext;
import dev.gatehouse.cli.serve.ServeListeners;
import dev.gatehouse.cli.serve.ServeRebuilds;
import dev.gatehouse.cli.serve.ServeModule;
import dev.gatehouse.cli.serve.ServeResponse;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.handlers.SharedSecret;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.local.DirectoryBlobStore;
import dev.gatehouse.ports.local.InMemoryIdempotencyKeys;
import dev.gatehouse.ports.local.InMemoryImageGraph;
import dev.gatehouse.ports.local.InMemoryResultStore;
import dev.gatehouse.ports.local.InMemoryVerdictCache;
import dev.gatehouse.ports.local.InMemoryWorkQueue;
import dev.gatehouse.ports.local.RecordingEventPublisher;
import dev.gatehouse.verify.VerificationPipeline;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * {@code gatehouse serve}: every function on one local HTTP(S) server with embedded defaults, so a
 * local registry's notifications and a test cluster's webhooks can point at it. Logs and EMF
 * metrics are JSON lines on stdout, as in Lambda.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the Gatehouse functions over HTTP(S) on this machine: registry push events, admission and scans.",
            "Logs one JSON line per request (with its request id) and CloudWatch EMF metric lines on stdout.",
            "Exit codes: 0 stopped, 2 could not start (one line naming the problem)."
        })
final class ServeCommand implements Callable<Integer> {

    /** Every part of the server; each owner adds one entry. */
    static final List<Supplier<ServeModule>> MODULES = List.of(
            PushRoutes::new,
            SlaRoutes::new);

    static final String METRICS_NAMESPACE = "Gatehouse";

    @Mixin
    PipelineOptions options;

    @Mixin
    AdmissionRoutes admission = new AdmissionRoutes();

    @Mixin
    ServeListeners listenerOptions = new ServeListeners();

    @Mixin
    ScanRoutes scan = new ScanRoutes();

    @Mixin
    ServeRebuilds rebuildOptions = new ServeRebuilds();

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port to listen on (0: any free port; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}; use 0.0.0.0 only behind a firewall, with --tls-cert).")
    String bind;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS with this certificate chain (leaf first); needs --tls-key. Admission webhooks require HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory for blobs (reports, policy bundles by revision); default: a new temporary directory.")
    Path dataDir;

    @Option(names = "--dynamodb-endpoint", paramLabel = "URL",
            description = "Keep results, verdicts, idempotency keys and the image graph in DynamoDB (Local) at this endpoint instead of in memory.")
    URI dynamodbEndpoint;

    @Option(names = "--dynamodb-table", paramLabel = "NAME", defaultValue = "gatehouse",
            description = "Table name with --dynamodb-endpoint; created when missing (default ${DEFAULT-VALUE}).")
    String dynamodbTable;

    @Option(names = "--webhook-secret-file", paramLabel = "FILE",
            description = "File holding the shared secret webhook callers must send as 'Authorization: Bearer SECRET'.")
    Path webhookSecretFile;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "16", description = "Request threads (default ${DEFAULT-VALUE}).")
    int threads;

    /** A started server and what it was built from. */
    record Running(HttpHost host, ServeContext context, ExecutorService executor) implements AutoCloseable {
        @Override
        public void close() {
            host.close();
            executor.shutdownNow();
        }
    }

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Running running = start(System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** Builds the context and the routes of every module and starts listening. */
    Running start(PrintStream out) throws Exception {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("--threads must be between 1 and 256");
        }
        Clock clock = Clock.systemUTC();
        JsonLog log = JsonLog.to(out).with("service", "gatehouse-serve");
        Metrics metrics = Metrics.to(out, METRICS_NAMESPACE);
        ExecutorService executor = Executors.newFixedThreadPool(16);
        try {
            ServeContext context = context(clock, log, metrics, executor);
            List<VerificationListener> listeners = new ArrayList<>();
            List<ServeModule> modules = new ArrayList<>(MODULES.stream().map(Supplier::get).toList());
            modules.add(admission);
            modules.add(scan);
            modules.add(listenerOptions);
            rebuildOptions.registryAccess(!options.registry.plainHttpUnsafe.isEmpty(), options.registry.dockerConfig);
            modules.add(rebuildOptions);
            for (ServeModule module : modules) {
                listeners.addAll(module.listeners(context));
            }
            context = context.withListeners(listeners);
            List<Route> routes = new ArrayList<>();
            routes.add(health(context));
            for (ServeModule module : modules) {
                routes.addAll(module.routes(context));
            }
            HttpHost host = HttpHost.start(new InetSocketAddress(InetAddress.getByName(bind), port),
                    tlsCert == null ? null : dev.gatehouse.cli.serve.PemTls.serverContext(tlsCert, tlsKey),
                    routes, log, metrics, threads);
            log.info("listening", Map.of("url", host.uri().toString(), "routes",
                    String.join(" ", routes.stream().map(r -> r.method() + " " + r.path()).toList()),
                    "policy_revision", context.policyRevision()));
            return new Running(host, context, executor);
        } catch (Exception e) {
            executor.shutdownNow();
            throw e;
        }
    }

    private ServeContext context(Clock clock, JsonLog log, Metrics metrics, ExecutorService executor) throws Exception {
        VerificationPipeline pipeline = options.pipeline(executor, line -> log.info("policy print", Map.of("line", line)));
        Digest trust = options.trustConfig == null ? Digest.sha256(new byte[0]) : Digest.sha256(Files.readAllBytes(options.trustConfig));
        Path blobs = dataDir != null ? dataDir : Files.createTempDirectory("gatehouse-serve-");
        RecordingEventPublisher events = new RecordingEventPublisher(1000);
        events.addListener(e -> log.info("event published", Map.of("source", e.source(), "detail_type", e.detailType(),
                "detail", e.detailJson())));
        SharedSecret secret = webhookSecretFile == null ? null : SecretFile.read("--webhook-secret-file", webhookSecretFile);
        if (dynamodbEndpoint == null) {
            return new ServeContext(pipeline, options.registry.repositories(), trust, new InMemoryResultStore(),
                    new DirectoryBlobStore(blobs), new InMemoryIdempotencyKeys(clock), new InMemoryVerdictCache(clock), events,
                    new InMemoryWorkQueue(clock), new InMemoryImageGraph(), List.of(), clock, executor, log, metrics, secret, null);
        }
        GatehouseTable table = table();
        return new ServeContext(pipeline, options.registry.repositories(), trust, new DynamoDbResultStore(table),
                new DirectoryBlobStore(blobs), new DynamoDbIdempotencyKeys(table, clock), new DynamoDbVerdictCache(table, clock), events,
                new InMemoryWorkQueue(clock), new DynamoDbImageGraph(table), List.of(), clock, executor, log, metrics, secret,
                new DynamoDbFindingLedger(table));
    }

    /** The DynamoDB Local table, created on first use; static local credentials, never the default chain. */
    private GatehouseTable table() {
        DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(dynamodbEndpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
        GatehouseTable table = new GatehouseTable(client, dynamodbTable);
        try {
            client.describeTable(b -> b.tableName(dynamodbTable));
        } catch (ResourceNotFoundException e) {
            table.create();
        }
        return table;
    }

    private static Route health(ServeContext context) {
        return Route.get("/healthz", request -> ServeResponse.json(200, UntrustedJson.mapper().createObjectNode()
                .put("status", "ok").put("policy_revision", context.policyRevision())));
    }
}
