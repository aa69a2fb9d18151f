package dev.gatehouse.lambda;

import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.aws.KmsSigner;
import dev.gatehouse.handlers.push.PushHandler;
import dev.gatehouse.lambda.signing.SigningSettings;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.vsa.VsaEmitter;
import dev.gatehouse.vsa.VsaPublisher;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.EventPublisher;
import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.verify.VerificationPipeline;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The registry-push handler: the shared pipeline and ports, and the listeners called after each
 * stored result: VSA emission when a signing key is configured, and every {@link VerificationListener}
 * bean the other parts produce (image graph recorder and rebuild trigger, remediation-SLA ledger).
 */
@ApplicationScoped
public class PushProducers {

    private static final Logger LOG = Logger.getLogger(PushProducers.class);

    @Produces
    @Singleton
    PushHandler pushHandler(GatehouseConfig config, VerificationPipeline pipeline, OciRepositories repositories, ResultStore results,
                            @Named(AwsPortProducers.REPORTS) BlobStore reports, IdempotencyKeys idempotency, EventPublisher events,
                            TrustMaterial trust, SigningSettings signing, Instance<VerificationListener> beans,
                            Clock clock, JsonLog log, Metrics metrics) {
        PushHandler.Settings settings = PushHandler.Settings.defaults()
                .onlyRegistries(new HashSet<>(config.registry().hosts().orElse(List.of())));
        List<VerificationListener> listeners = new ArrayList<>(beans.stream().toList());
        vsaEmitter(config, signing, pipeline, repositories, trust, idempotency).ifPresent(listeners::add);
        return new PushHandler(pipeline, repositories, new PushHandler.Ports(results, reports, idempotency, events),
                listeners, settings, clock, log, metrics);
    }

    /**
     * With a signing key, a VSA for every verified image, signed in KMS; its own pushes are claimed
     * so they do not verify the image again. Without a usable key the verdicts are still stored:
     * the summary is an addition, never a condition.
     */
    private static Optional<VerificationListener> vsaEmitter(GatehouseConfig config, SigningSettings signing, VerificationPipeline pipeline,
                                                             OciRepositories repositories, TrustMaterial trust, IdempotencyKeys idempotency) {
        Optional<String> keyId = signing.keyId().filter(k -> !k.isBlank());
        if (keyId.isEmpty()) {
            LOG.info("no verification summaries: no signing key (GATEHOUSE_SIGNING_KEY_ID)");
            return Optional.empty();
        }
        KmsSigner signer;
        try {
            signer = KmsSigner.connect(KmsSigner.client(signing.kmsEndpoint().orElse(null), null), keyId.get());
        } catch (Signer.SigningException | RuntimeException e) {
            LOG.errorf("no verification summaries: signing key %s unusable: %s", keyId.get(), e.getMessage());
            return Optional.empty();
        }
        String bundleDigest = pipeline.policy().digest();
        String bucket = config.bundleBucket().orElse("bundles");
        return Optional.of(new VsaEmitter(repositories, new VsaPublisher(signer), new VsaEmitter.Settings(signing.verifierId(),
                Map.of("gatehouse", version()), trust.digest(), revision -> VsaEmitter.policyResource(
                        "s3://" + bucket + "/bundles/" + revision + ".tar.gz", bundleDigest)), idempotency));
    }

    private static String version() {
        String version = PushProducers.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
