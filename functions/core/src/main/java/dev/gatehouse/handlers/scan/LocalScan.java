package dev.gatehouse.handlers.scan;

import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.ImageEnumerator;
import dev.gatehouse.ports.ImageEnumerator.EnumerationException;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.ports.WorkQueue;
import dev.gatehouse.ports.local.InMemoryResultStore;
import dev.gatehouse.ports.local.InMemoryWorkQueue;
import dev.gatehouse.verify.VerificationPipeline;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A whole scan in one process, for {@code gatehouse serve}, the CLI and tests: the planner fills an
 * in-memory queue with the same batch messages SQS would carry, and {@code workers} threads drain it
 * through the same {@link ScanWorker}. A batch that fails is reported in the summary as missing
 * (the scan is then incomplete), never as passed.
 */
public final class LocalScan {

    private static final Duration VISIBILITY = Duration.ofHours(1);

    private final ImageEnumerator enumerator;
    private final ScanWorker worker;
    private final BlobStore blobs;
    private final Clock clock;
    private final int imagesPerBatch;
    private final int workers;
    private final Consumer<String> log;

    /**
     * A scan of {@code registry}'s catalog (or the repositories a scope names) with {@code pipeline},
     * reports into {@code reports}: the set-up {@code gatehouse scan}, {@code serve}'s
     * {@code POST /scan} and {@code gatehouse bench} share. Defaults: results kept in memory, no
     * listeners, the system clock, two verifications at a time, one worker, progress discarded.
     */
    public static Builder ofRegistry(OciRepositories repositories, String registry, VerificationPipeline pipeline, BlobStore reports) {
        return new Builder(repositories, registry, pipeline, reports);
    }

    /** Builds a {@link LocalScan} of one registry; see {@link #ofRegistry}. */
    public static final class Builder {
        private final OciRepositories repositories;
        private final String registry;
        private final VerificationPipeline pipeline;
        private final BlobStore reports;
        private ResultStore results = new InMemoryResultStore();
        private List<VerificationListener> listeners = List.of();
        private Clock clock = Clock.systemUTC();
        private int verificationsAtOnce = 2;
        private int workers = 1;
        private Consumer<String> progress = line -> { };

        private Builder(OciRepositories repositories, String registry, VerificationPipeline pipeline, BlobStore reports) {
            this.repositories = repositories;
            this.registry = registry;
            this.pipeline = pipeline;
            this.reports = reports;
        }

        /** Where each image's result is recorded (the server's result store; default in memory). */
        public Builder results(ResultStore value) {
            this.results = value;
            return this;
        }

        /** Told of every verified image (the image graph, the SLA ledger...). */
        public Builder listeners(List<VerificationListener> value) {
            this.listeners = List.copyOf(value);
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** Images one worker verifies at once. */
        public Builder verificationsAtOnce(int value) {
            this.verificationsAtOnce = value;
            return this;
        }

        /** Batches verified at once. */
        public Builder workers(int value) {
            this.workers = value;
            return this;
        }

        /** Where the planner's and workers' progress lines go. */
        public Builder progress(Consumer<String> value) {
            this.progress = value;
            return this;
        }

        public LocalScan build() {
            ScanWorker worker = new ScanWorker(pipeline, results, reports, listeners, clock, verificationsAtOnce, line -> { });
            return new LocalScan(new RegistryCatalogEnumerator(repositories, registry), worker, reports, clock,
                    ScanPlanner.DEFAULT_IMAGES_PER_BATCH, workers, progress);
        }
    }

    /** The outcome: the summary, and one line per batch that failed as a whole. */
    public record Result(ScanSummary summary, List<String> failedBatches) {
        public Result {
            failedBatches = List.copyOf(failedBatches);
        }
    }

    public LocalScan(ImageEnumerator enumerator, ScanWorker worker, BlobStore blobs, Clock clock, int imagesPerBatch, int workers,
            Consumer<String> log) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be positive");
        }
        this.enumerator = enumerator;
        this.worker = worker;
        this.blobs = blobs;
        this.clock = clock;
        this.imagesPerBatch = imagesPerBatch;
        this.workers = workers;
        this.log = log;
    }

    public Result run(ImageEnumerator.Scope scope) throws EnumerationException {
        WorkQueue queue = new InMemoryWorkQueue(clock);
        ScanPlan plan = new ScanPlanner(enumerator, queue, blobs, clock, imagesPerBatch, log).plan(scope);
        List<String> failed = new CopyOnWriteArrayList<>();
        if (plan.batches() > 0) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < Math.min(workers, plan.batches()); i++) {
                Thread t = new Thread(() -> drain(queue, failed), "scan-local-" + i);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed.add("interrupted while waiting for the workers");
                    break;
                }
            }
        }
        // Summarise from what was recorded: after a failed batch no worker saw the scan complete.
        ScanSummary summary = new ScanFinalizer(blobs, clock, log).finish(plan.scanId());
        return new Result(summary, failed);
    }

    private void drain(WorkQueue queue, List<String> failed) {
        while (true) {
            List<WorkQueue.Message> messages = queue.receive(1, Duration.ZERO, VISIBILITY);
            if (messages.isEmpty()) {
                return;
            }
            WorkQueue.Message message = messages.get(0);
            try {
                worker.process(ScanBatch.parse(message.body()));
            } catch (MalformedInputException | RuntimeException e) {
                failed.add("message " + message.id() + ": " + e.getMessage());
                log.accept("scan batch failed: " + e.getMessage());
            }
            queue.delete(message);
        }
    }
}
