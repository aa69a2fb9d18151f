package dev.gatehouse.handlers.admission;

import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.RegistryClient;
import dev.gatehouse.oci.testing.FaultProxy;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.ports.RegistryCredentials;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.vex.VexPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Signed sample images in the real local registry, and the pipeline that verifies them with the
 * embedded hardened policy: {@code compliant} is allowed, {@code root} (GH-NONROOT) and
 * {@code unsigned} are denied. Shared by the admission tests of core, the Lambda function and serve.
 */
public final class AdmissionFixture implements AutoCloseable {

    public static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    public static final String REPOSITORY = "samples/app";

    private final LocalRegistry registry;
    private final LocalKeySigner signer;
    private final Path trustDir;
    private final Map<String, Digest> digests = new HashMap<>();
    private final ExecutorService pipelineExecutor = Executors.newFixedThreadPool(8);
    private final OciRepositories repositories;

    private AdmissionFixture(LocalRegistry registry, LocalKeySigner signer, Path trustDir) {
        this.registry = registry;
        this.signer = signer;
        this.trustDir = trustDir;
        this.repositories = new OciRepositories(registry.credentials(), registry.options());
    }

    /** Writes the trust material into {@code dir} and pushes compliant, root and unsigned sample images. */
    public static AdmissionFixture create(LocalRegistry registry, Path dir) throws Exception {
        LocalKeySigner signer = LocalKeySigner.generate("sample-publisher");
        SampleTrust.write(dir, signer);
        AdmissionFixture fixture = new AdmissionFixture(registry, signer, dir);
        fixture.push(REPOSITORY, "compliant", Set.of());
        fixture.push(REPOSITORY, "root", EnumSet.of(SampleDefect.ROOT_USER));
        fixture.push(REPOSITORY, "unsigned", EnumSet.of(SampleDefect.UNSIGNED));
        return fixture;
    }

    /** Pushes one more sample image (signed by the trusted key unless a defect says otherwise). */
    public Digest push(String repository, String tag, Set<SampleDefect> defects) throws Exception {
        SampleImages samples = new SampleImages(registry.repository(repository), signer, NOW);
        Digest digest = samples.build(registry.host() + "/" + repository, tag, defects).image().digest();
        digests.put(repository + ":" + tag, digest);
        return digest;
    }

    /** {@code host:port/samples/app:TAG}. */
    public String image(String tag) {
        return registry.host() + "/" + REPOSITORY + ":" + tag;
    }

    public Digest digest(String tag) {
        return digestOf(REPOSITORY, tag);
    }

    public Digest digestOf(String repository, String tag) {
        return digests.get(repository + ":" + tag);
    }

    public Path trustConfigFile() {
        return trustDir.resolve(SampleTrust.TRUST_CONFIG);
    }

    public Path trustDir() {
        return trustDir;
    }

    /** sha256 of the trust configuration file, as the verdict cache keys name it. */
    public Digest trustConfigurationDigest() throws Exception {
        return Digest.sha256(Files.readAllBytes(trustConfigFile()));
    }

    public OciRepositories repositories() {
        return repositories;
    }

    public VerificationPipeline pipeline() throws Exception {
        return pipeline(PolicyBundle.hardened());
    }

    public VerificationPipeline pipeline(PolicyBundle policy) throws Exception {
        return pipeline(policy, trustConfigFile());
    }

    /** The pipeline with another trust configuration (its relative paths resolve from its own folder). */
    public VerificationPipeline pipeline(PolicyBundle policy, Path trustConfig) throws Exception {
        return pipeline(policy, trustConfig, repositories);
    }

    /** The pipeline reaching registries through {@code through} (another client configuration, a proxy). */
    public VerificationPipeline pipeline(PolicyBundle policy, Path trustConfig, OciRepositories through) throws Exception {
        return new VerificationPipeline(through, TrustConfig.read(trustConfig),
                TrustedBuilders.parse(Files.readAllBytes(trustDir.resolve(SampleTrust.TRUSTED_BUILDERS))),
                policy, VexPolicy.defaults(), clock(), pipelineExecutor, s -> { });
    }

    /**
     * New registry clients (no manifest cache to hide a fault) that reach the registry through the
     * fault-injecting {@code proxy} over plain HTTP: 2 s to connect, {@code readTimeout} to read, and
     * two quick retries, so every request is tried at most three times.
     */
    public static OciRepositories throughFaultProxy(FaultProxy proxy, Duration readTimeout) {
        return new OciRepositories(RegistryCredentials.anonymous(), RegistryClient.Options.defaults()
                .withPlainHttpUnsafe(proxy.host())
                .withTimeouts(Duration.ofSeconds(2), readTimeout)
                .withRetries(2, Duration.ofMillis(20), Duration.ofSeconds(2)));
    }

    public static Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    /**
     * The default admission configuration with the longest deadline allowed: tests that are not about
     * the deadline must not depend on how loaded the machine is.
     */
    public static AdmissionConfig patientDefaults() {
        return AdmissionConfig.defaults().withDeadline(AdmissionConfig.MAX_DEADLINE);
    }

    public AdmissionHandler handler(AdmissionConfig config, VerdictCache cache, FastPath fastPath) throws Exception {
        return new AdmissionHandler(config, pipeline(), repositories, cache, fastPath, trustConfigurationDigest(), clock());
    }

    @Override
    public void close() {
        pipelineExecutor.shutdownNow();
    }
}
