package dev.gatehouse.lambda.admission;

import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.aws.DynamoDbVerdictCache;
import dev.gatehouse.aws.EcrRegistryCredentials;
import dev.gatehouse.aws.GatehouseTable;
import dev.gatehouse.handlers.admission.AdmissionConfig;
import dev.gatehouse.handlers.admission.AdmissionHandler;
import dev.gatehouse.handlers.admission.FastPath;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.RegistryClient;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.ports.local.InMemoryVerdictCache;
import dev.gatehouse.rego.bundle.BundleVerification;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.vex.VexPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the admission handler once per Lambda instance (reused across invocations and captured
 * by SnapStart): the admission configuration, the pipeline with its trust configuration and
 * policy, the verdict cache (DynamoDB when {@code GATEHOUSE_CACHE_TABLE} names a table, else in
 * memory), and a {@link FastPath} when another bean provides one.
 */
@ApplicationScoped
public class AdmissionProducers {

    private static final Logger LOG = Logger.getLogger(AdmissionProducers.class);

    @Produces
    @Singleton
    AdmissionHandler admissionHandler(AdmissionSettings settings, @ConfigProperty(name = "gatehouse.cache-table") Optional<String> cacheTable,
                                      Instance<FastPath> fastPaths) throws Exception {
        AdmissionConfig config = admissionConfig(settings);
        Clock clock = Clock.systemUTC();
        // Registry calls must fit inside the admission deadline; one quick retry at most.
        RegistryClient.Options options = RegistryClient.Options.defaults()
                .withTimeouts(Duration.ofSeconds(3), config.deadline())
                .withRetries(1, Duration.ofMillis(100), Duration.ofSeconds(1))
                .withPlainHttpUnsafe(settings.plainHttpUnsafe().orElse(List.of()).toArray(String[]::new));
        OciRepositories repositories = new OciRepositories(EcrRegistryCredentials.withDefaultClients(), options);
        TrustConfig trust = settings.trustConfig().isPresent() ? TrustConfig.read(settings.trustConfig().get()) : new TrustConfig(List.of());
        Digest trustDigest = Digest.sha256(settings.trustConfig().isPresent() ? Files.readAllBytes(settings.trustConfig().get()) : new byte[0]);
        TrustedBuilders builders = settings.trustedBuilders().isPresent()
                ? TrustedBuilders.parse(Files.readAllBytes(settings.trustedBuilders().get())) : TrustedBuilders.defaults();
        PolicyBundle policy = settings.policy().isPresent()
                ? PolicyBundle.load(settings.policy().get(), BundleVerification.NONE, null) : PolicyBundle.hardened();
        VerificationPipeline pipeline = new VerificationPipeline(repositories, trust, builders, policy, VexPolicy.defaults(), clock,
                pipelineExecutor(), LOG::debug);
        VerdictCache cache = cacheTable.filter(t -> !t.isBlank())
                .<VerdictCache>map(table -> new DynamoDbVerdictCache(new GatehouseTable(DynamoDbClient.builder()
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build(), table), clock))
                .orElseGet(() -> new InMemoryVerdictCache(clock));
        FastPath fastPath = fastPaths.isResolvable() ? fastPaths.get() : FastPath.NONE;
        LOG.infof("admission ready: policy %s, trust configuration %s, mode %s, deadline %s, cache %s", policy.revision(),
                trustDigest, config.mode().configName(), config.deadline(), cacheTable.orElse("in memory"));
        return new AdmissionHandler(config, pipeline, repositories, cache, fastPath, trustDigest, clock);
    }

    static AdmissionConfig admissionConfig(AdmissionSettings settings) throws Exception {
        if (settings.configFile().isPresent()) {
            return AdmissionConfig.parse(Files.readAllBytes(settings.configFile().get()), settings.configFile().get().toString());
        }
        if (settings.config().isPresent()) {
            return AdmissionConfig.parse(settings.config().get().getBytes(StandardCharsets.UTF_8), "GATEHOUSE_ADMISSION_CONFIG");
        }
        return AdmissionConfig.defaults();
    }

    void close(@Disposes AdmissionHandler handler) {
        handler.close();
    }

    private static ExecutorService pipelineExecutor() {
        return Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-admission-pipeline");
            thread.setDaemon(true);
            return thread;
        });
    }
}
