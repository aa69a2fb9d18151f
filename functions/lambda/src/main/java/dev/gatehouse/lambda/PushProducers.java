package dev.gatehouse.lambda;

import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.aws.KmsSigner;
import dev.gatehouse.handlers.push.PushHandler;
import dev.gatehouse.lambda.signing.SigningProducers;
import dev.gatehouse.lambda.signing.SigningSettings;
import dev.gatehouse.vsa.VsaEmitter;
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

/**
 * The registry-push handler: the shared pipeline and ports, and the listeners called after each
 * stored result: VSA emission when a signing key is configured, and every {@link VerificationListener}
 * bean the other parts produce (image graph recorder and rebuild trigger, remediation-SLA ledger).
 */
@ApplicationScoped
public class PushProducers {

    @Produces
    @Singleton
    PushHandler pushHandler(GatehouseConfig config, VerificationPipeline pipeline, OciRepositories repositories, ResultStore results,
                            @Named(AwsPortProducers.REPORTS) BlobStore reports, IdempotencyKeys idempotency, EventPublisher events,
                            TrustMaterial trust, SigningSettings signing, Instance<VerificationListener> beans,
                            Clock clock, JsonLog log, Metrics metrics) {
        PushHandler.Settings settings = PushHandler.Settings.defaults()
                .onlyRegistries(new HashSet<>(config.registry().hosts().orElse(List.of())));
        List<VerificationListener> listeners = new ArrayList<>(beans.stream().toList());
        // With a signing key, a VSA for every verified image, signed in KMS; its own pushes are claimed so
        // they do not verify the image again. Without a usable key the verdicts are still stored.
        String bucket = config.bundleBucket().orElse("bundles");
        listeners.add(SigningProducers.emitter(signing, repositories, idempotency, trust.digest(),
                revision -> VsaEmitter.policyResource("s3://" + bucket + "/bundles/" + revision + ".tar.gz",
                        revision.equals(pipeline.policy().revision()) ? pipeline.policy().digest() : null),
                key -> KmsSigner.client(key.kmsEndpoint().orElse(null), null)));
        return new PushHandler(pipeline, repositories, new PushHandler.Ports(results, reports, idempotency, events),
                listeners, settings, clock, log, metrics);
    }
}
