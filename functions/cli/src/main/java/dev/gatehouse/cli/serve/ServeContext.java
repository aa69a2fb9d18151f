package dev.gatehouse.cli.serve;

import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.handlers.SharedSecret;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.EventPublisher;
import dev.gatehouse.ports.FindingLedger;
import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.ports.WorkQueue;
import dev.gatehouse.verify.VerificationPipeline;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * What every route of {@code gatehouse serve} is built from: the one verification pipeline, the
 * ports (in memory, a local directory or DynamoDB Local), the after-verification listeners, and
 * the shared clock, executor, log and metrics.
 *
 * @param trustConfiguration digest of the trust configuration the pipeline uses (part of verdict cache keys)
 * @param webhookSecret      the shared secret webhook callers must send, or null when none is configured
 * @param findings           the remediation-SLA ledger, or null when the server keeps no ledger (in-memory stores)
 */
public record ServeContext(
        VerificationPipeline pipeline,
        OciRepositories repositories,
        Digest trustConfiguration,
        ResultStore results,
        BlobStore blobs,
        IdempotencyKeys idempotency,
        VerdictCache verdicts,
        EventPublisher events,
        WorkQueue queue,
        ImageGraph graph,
        List<VerificationListener> listeners,
        Clock clock,
        ExecutorService executor,
        JsonLog log,
        Metrics metrics,
        SharedSecret webhookSecret,
        FindingLedger findings) {

    public ServeContext {
        listeners = List.copyOf(listeners);
    }

    /** The policy revision every verdict of this server names. */
    public String policyRevision() {
        return pipeline.policy().revision();
    }

    public ServeContext withListeners(List<VerificationListener> all) {
        return new ServeContext(pipeline, repositories, trustConfiguration, results, blobs, idempotency, verdicts, events, queue,
                graph, all, clock, executor, log, metrics, webhookSecret, findings);
    }
}
