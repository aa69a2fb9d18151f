package dev.gatehouse.lambda;

import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.push.PushHandler;
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
import java.util.HashSet;
import java.util.List;

/**
 * The registry-push handler: the shared pipeline and ports, and every {@link VerificationListener}
 * bean other parts contribute (image graph, SLA ledger, VSA emission), called after each stored result.
 */
@ApplicationScoped
public class PushProducers {

    @Produces
    @Singleton
    PushHandler pushHandler(GatehouseConfig config, VerificationPipeline pipeline, OciRepositories repositories, ResultStore results,
                            @Named(AwsPortProducers.REPORTS) BlobStore reports, IdempotencyKeys idempotency, EventPublisher events,
                            Instance<VerificationListener> listeners, Clock clock, JsonLog log, Metrics metrics) {
        PushHandler.Settings settings = PushHandler.Settings.defaults()
                .onlyRegistries(new HashSet<>(config.registry().hosts().orElse(List.of())));
        return new PushHandler(pipeline, repositories, new PushHandler.Ports(results, reports, idempotency, events),
                listeners.stream().toList(), settings, clock, log, metrics);
    }
}
