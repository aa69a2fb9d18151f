package dev.gatehouse.lambda;

import dev.gatehouse.aws.EcrRegistryCredentials;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.RegistryClient;
import dev.gatehouse.policy.PolicyBundleSource;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.RegistryCredentials;
import dev.gatehouse.rego.bundle.BundleException;
import dev.gatehouse.rego.bundle.BundleVerification;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.vex.VexPolicy;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The one verification pipeline of a function instance: the policy bundle of
 * {@code GATEHOUSE_POLICY_REVISION} from the bundle bucket (compiled once, signature-checked when
 * {@code GATEHOUSE_BUNDLE_PUBLIC_KEY} is set), the trust configuration from the same bucket, and
 * registry access (ECR credentials from the function's role).
 */
@ApplicationScoped
public class PipelineProducers {

    private final ExecutorService executor = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "gatehouse-pipeline");
        thread.setDaemon(true);
        return thread;
    });

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    @Produces
    @Singleton
    PolicyBundleSource policyBundles(GatehouseConfig config, @Named(AwsPortProducers.BUNDLES) BlobStore bundles) throws BundleException {
        BundleVerification verification = config.bundlePublicKey().filter(k -> !k.isBlank())
                .map(PipelineProducers::requireSigned).orElse(BundleVerification.NONE);
        return PolicyBundleSource.blobStore(bundles, verification, null);
    }

    @Produces
    @Singleton
    TrustMaterial trust(GatehouseConfig config, @Named(AwsPortProducers.BUNDLES) BlobStore bundles) throws MalformedInputException {
        return TrustMaterial.load(bundles, config.trustConfig(), config.trustedBuilders().orElse(null));
    }

    @Produces
    @Singleton
    OciRepositories repositories(GatehouseConfig config) {
        RegistryClient.Options options = RegistryClient.Options.defaults()
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(config.registry().timeoutSeconds()))
                .withPlainHttpUnsafe(config.registry().plainHttpUnsafe().orElse(List.of()).toArray(String[]::new));
        RegistryCredentials ecr = host -> EcrRegistryCredentials.isEcrHost(host) ? Ecr.CREDENTIALS.lookup(host) : java.util.Optional.empty();
        return new OciRepositories(ecr, options);
    }

    @Produces
    @Singleton
    VerificationPipeline pipeline(GatehouseConfig config, PolicyBundleSource bundles, TrustMaterial trust, OciRepositories repositories,
                                  Clock clock, JsonLog log) throws PolicyException {
        String revision = AwsPortProducers.required(config.policyRevision(), "GATEHOUSE_POLICY_REVISION");
        return new VerificationPipeline(repositories, trust.trust(), trust.builders(), bundles.bundle(revision), VexPolicy.defaults(),
                clock, executor, line -> log.info("policy print", Map.of("line", line)));
    }

    private static BundleVerification requireSigned(String pem) {
        try {
            return new BundleVerification(BundleVerification.parsePublicKeyPem(pem), null, true);
        } catch (BundleException e) {
            throw new IllegalStateException("GATEHOUSE_BUNDLE_PUBLIC_KEY: " + e.getMessage(), e);
        }
    }

    /** ECR clients are built only when an ECR host is asked for. */
    private static final class Ecr {
        static final EcrRegistryCredentials CREDENTIALS = EcrRegistryCredentials.withDefaultClients();
    }
}
