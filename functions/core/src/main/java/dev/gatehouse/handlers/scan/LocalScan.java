package dev.gatehouse.handlers.scan;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.ImageEnumerator;
import dev.gatehouse.ports.ImageEnumerator.EnumerationException;
import dev.gatehouse.ports.WorkQueue;
import dev.gatehouse.ports.local.InMemoryWorkQueue;
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
