package dev.gatehouse.handlers.scan;

import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.ImageEnumerator;
import dev.gatehouse.ports.ImageEnumerator.EnumerationException;
import dev.gatehouse.ports.ImageEnumerator.ListedImage;
import dev.gatehouse.ports.ImageEnumerator.Unlisted;
import dev.gatehouse.ports.WorkQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Starts a compliance scan: lists the images, keeps one per repository and digest (tags that alias
 * a manifest collapse, attachment tags and untagged manifests are skipped), writes the plan and
 * enqueues the images in batches, so many workers verify them in parallel. A scan with nothing to
 * verify is summarised at once.
 */
public final class ScanPlanner {

    public static final int DEFAULT_IMAGES_PER_BATCH = 10;
    public static final int DEFAULT_MAX_IMAGES = 50_000;

    private final ImageEnumerator enumerator;
    private final WorkQueue queue;
    private final BlobStore blobs;
    private final Clock clock;
    private final int imagesPerBatch;
    private final Consumer<String> log;

    public ScanPlanner(ImageEnumerator enumerator, WorkQueue queue, BlobStore blobs, Clock clock, int imagesPerBatch,
            Consumer<String> log) {
        if (imagesPerBatch < 1 || imagesPerBatch > ScanBatch.MAX_IMAGES) {
            throw new IllegalArgumentException("images per batch must be 1 to " + ScanBatch.MAX_IMAGES + ", got " + imagesPerBatch);
        }
        this.enumerator = enumerator;
        this.queue = queue;
        this.blobs = blobs;
        this.clock = clock;
        this.imagesPerBatch = imagesPerBatch;
        this.log = log;
    }

    public ScanPlan plan(ImageEnumerator.Scope scope) throws EnumerationException {
        Instant startedAt = clock.instant();
        String scanId = ScanId.next(startedAt);
        ImageEnumerator.Listing listing = enumerator.list(scope);

        record Key(String registry, String repository, dev.gatehouse.oci.Digest digest) {}
        Map<Key, Set<String>> images = new LinkedHashMap<>();
        int attachments = 0;
        int untagged = 0;
        List<Unlisted> unlisted = new ArrayList<>(listing.unlisted());
        for (ListedImage listed : listing.images()) {
            List<String> tags = listed.tags().stream().filter(t -> !AttachmentTags.isAttachment(t)).toList();
            if (tags.isEmpty()) {
                if (listed.tags().isEmpty()) {
                    untagged++;
                } else {
                    attachments++;
                }
                continue;
            }
            try {
                ScanBatch.check(listed);
            } catch (IllegalArgumentException e) {
                unlisted.add(new Unlisted(listed.registry(), listed.repository(), null, "cannot be scanned: " + e.getMessage()));
                continue;
            }
            images.computeIfAbsent(new Key(listed.registry(), listed.repository(), listed.digest()), k -> new LinkedHashSet<>())
                    .addAll(tags);
        }
        List<ListedImage> toScan = new ArrayList<>();
        images.forEach((k, tags) -> toScan.add(new ListedImage(k.registry(), k.repository(), k.digest(), List.copyOf(tags))));

        int batches = (toScan.size() + imagesPerBatch - 1) / imagesPerBatch;
        ScanPlan plan = new ScanPlan(scanId, enumerator.source(), startedAt, toScan.size(), batches, attachments, untagged,
                unlisted, listing.truncated());
        blobs.put(ScanKeys.plan(scanId), plan.toJson().toString().getBytes(StandardCharsets.UTF_8));
        List<String> bodies = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            List<ListedImage> slice = toScan.subList(b * imagesPerBatch, Math.min(toScan.size(), (b + 1) * imagesPerBatch));
            bodies.add(new ScanBatch(scanId, b, batches, slice).toJson());
        }
        if (bodies.isEmpty()) {
            new ScanFinalizer(blobs, clock, log).finish(scanId);
        } else {
            queue.sendBatch(bodies);
        }
        log.accept("scan " + scanId + ": " + toScan.size() + " images from " + enumerator.source() + " in " + batches + " batches"
                + (unlisted.isEmpty() ? "" : ", " + unlisted.size() + " could not be listed"));
        return plan;
    }
}
