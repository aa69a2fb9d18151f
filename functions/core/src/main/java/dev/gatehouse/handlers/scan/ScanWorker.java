package dev.gatehouse.handlers.scan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.io.Printable;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.ImageEnumerator.ListedImage;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.verify.ReportJson;
import dev.gatehouse.verify.VerificationException;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.verify.VerificationReport;
import dev.gatehouse.verify.VerificationRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Verifies one batch of a scan with the one verification pipeline (the attestations, VEX and
 * findings attached now, the current policy), stores each image's result and report, calls the
 * verification listeners, then records the batch. The worker that records the last batch writes
 * the summary and the HTML page. An image that cannot be verified is recorded as an error with its
 * reason; a store that cannot be written fails the whole batch, so the queue delivers it again.
 *
 * <p>Up to {@code parallelism} images are verified at once. Each verification queues its evidence
 * lookups on the pipeline's executor and waits for them, so that executor must not be a fixed pool
 * smaller than the verifications running at once (use a cached pool).
 */
public final class ScanWorker {

    public static final String TRIGGER = "scan";
    public static final String IMAGE_SCHEMA = "https://gatehouse.dev/schemas/scan-image/v1";
    public static final String BATCH_SCHEMA = "https://gatehouse.dev/schemas/scan-batch-result/v1";
    /** An image's error as reports and logs show it. */
    static final int MAX_ERROR_CHARS = 500;

    private final VerificationPipeline pipeline;
    private final ResultStore results;
    private final BlobStore blobs;
    private final List<VerificationListener> listeners;
    private final Clock clock;
    private final int parallelism;
    private final Consumer<String> log;

    /** What one batch came to. {@code summaryKey} is set when this batch completed the scan. */
    public record BatchOutcome(String scanId, int batch, int images, int errors, int listenerFailures, String summaryKey) {
        public boolean completedScan() {
            return summaryKey != null;
        }
    }

    public ScanWorker(VerificationPipeline pipeline, ResultStore results, BlobStore blobs, List<VerificationListener> listeners,
            Clock clock, int parallelism, Consumer<String> log) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be positive");
        }
        this.pipeline = pipeline;
        this.results = results;
        this.blobs = blobs;
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
        this.parallelism = parallelism;
        this.log = log;
    }

    public BatchOutcome process(ScanBatch batch) {
        AtomicInteger listenerFailures = new AtomicInteger();
        List<ImageResult> done = new ArrayList<>(batch.images().size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, batch.images().size()), r -> {
            Thread t = new Thread(r, "scan-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<ImageResult>> pending = batch.images().stream()
                    .map(image -> CompletableFuture.supplyAsync(() -> scan(batch.scanId(), image, listenerFailures), pool))
                    .toList();
            for (CompletableFuture<ImageResult> f : pending) {
                done.add(join(f));
            }
        } finally {
            pool.shutdownNow();
        }
        ObjectNode record = UntrustedJson.mapper().createObjectNode();
        record.put("schema", BATCH_SCHEMA);
        record.put("scan_id", batch.scanId());
        record.put("batch", batch.batch());
        record.put("batches", batch.batches());
        record.put("finished_at", clock.instant().toString());
        record.put("listener_failures", listenerFailures.get());
        ArrayNode list = record.putArray("results");
        done.forEach(r -> list.add(r.toJson()));
        blobs.put(ScanKeys.batch(batch.scanId(), batch.batch()), record.toString().getBytes(StandardCharsets.UTF_8));

        int errors = (int) done.stream().filter(r -> r.status() == ImageResult.Status.ERROR).count();
        String summaryKey = null;
        // Every batch record is written before this listing, so the worker that writes the last one sees them all.
        if (blobs.list(ScanKeys.batches(batch.scanId()), batch.batches() + 1).size() >= batch.batches()) {
            new ScanFinalizer(blobs, clock, log).finish(batch.scanId());
            summaryKey = ScanKeys.summary(batch.scanId());
        }
        return new BatchOutcome(batch.scanId(), batch.batch(), done.size(), errors, listenerFailures.get(), summaryKey);
    }

    private static ImageResult join(CompletableFuture<ImageResult> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private ImageResult scan(String scanId, ListedImage image, AtomicInteger listenerFailures) {
        String reportKey = ScanKeys.image(scanId, image.registry(), image.repository(), image.digest());
        String revision = pipeline.policy().revision();
        Instant started = clock.instant();
        VerificationReport report;
        try {
            ImageReference reference = ImageReference.parse(image.registry() + "/" + image.repository() + "@" + image.digest());
            report = pipeline.verify(VerificationRequest.of(reference, TRIGGER));
            if (!Digest.parse(report.digest()).equals(image.digest())) {
                throw new VerificationException("verified " + report.digest() + " instead of the listed " + image.digest());
            }
        } catch (VerificationException | IllegalArgumentException e) {
            return failed(scanId, image, reportKey, revision, started, Printable.oneLine(e.getMessage(), MAX_ERROR_CHARS));
        } catch (RuntimeException e) {
            // A defect in the pipeline is still this image's error, never a pass and never a lost image.
            log.accept("scan " + scanId + ": " + image.repository() + "@" + image.digest() + ": unexpected " + Printable.oneLine(e.toString(), MAX_ERROR_CHARS));
            return failed(scanId, image, reportKey, revision, started, "internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + Printable.oneLine(e.getMessage(), MAX_ERROR_CHARS)));
        }
        ImageResult result = ImageResult.decided(image.registry(), image.repository(), image.digest(), image.tags(), report, reportKey);
        byte[] blob = imageBlob(scanId, result, started, ReportJson.toJson(report));
        blobs.put(reportKey, blob);
        List<Violation> violations = new ArrayList<>(report.decision().denials());
        violations.addAll(report.decision().warnings());
        results.put(new ResultStore.VerificationResult(image.registry() + "/" + image.repository(), image.digest(),
                report.decision().bundleRevision() == null ? revision : report.decision().bundleRevision(),
                report.decision().outcome(), violations.size() > ResultStore.MAX_VIOLATIONS
                        ? violations.subList(0, ResultStore.MAX_VIOLATIONS) : violations,
                new ResultStore.StoredReport(reportKey, Digest.sha256(blob), blob.length), started));
        VerifiedImage verified = new VerifiedImage(image.registry(), image.repository(), image.digest(),
                image.tags().isEmpty() ? null : image.tags().get(0), TRIGGER, revision, report, started);
        for (VerificationListener listener : listeners) {
            try {
                listener.onVerified(verified);
            } catch (Exception e) {
                listenerFailures.incrementAndGet();
                log.accept("scan " + scanId + ": listener " + listener.getClass().getSimpleName() + " failed for "
                        + verified.pinnedReference() + ": " + Printable.oneLine(e.getMessage(), MAX_ERROR_CHARS));
            }
        }
        return result;
    }

    private ImageResult failed(String scanId, ListedImage image, String reportKey, String revision, Instant started, String error) {
        ImageResult result = ImageResult.failed(image.registry(), image.repository(), image.digest(), image.tags(), error, revision,
                reportKey);
        blobs.put(reportKey, imageBlob(scanId, result, started, null));
        return result;
    }

    private static byte[] imageBlob(String scanId, ImageResult result, Instant scannedAt, ObjectNode report) {
        ObjectNode n = UntrustedJson.mapper().createObjectNode();
        n.put("schema", IMAGE_SCHEMA);
        n.put("scan_id", scanId);
        n.put("scanned_at", scannedAt.toString());
        n.set("result", result.toJson());
        if (report != null) {
            n.set("report", report);
        }
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }
}
