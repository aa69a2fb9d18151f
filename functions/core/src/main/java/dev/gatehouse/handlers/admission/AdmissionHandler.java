package dev.gatehouse.handlers.admission;

import dev.gatehouse.handlers.admission.AdmissionOutcome.CheckedImage;
import dev.gatehouse.handlers.admission.AdmissionRequest.ContainerImage;
import dev.gatehouse.handlers.admission.ImageVerdict.Decided;
import dev.gatehouse.handlers.admission.ImageVerdict.Exempt;
import dev.gatehouse.handlers.admission.ImageVerdict.Invalid;
import dev.gatehouse.handlers.admission.ImageVerdict.Source;
import dev.gatehouse.handlers.admission.ImageVerdict.Undecided;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.Printable;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.verify.VerificationException;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.verify.VerificationReport;
import dev.gatehouse.verify.VerificationRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Kubernetes admission: validates (allow or deny, a message per offending image, warnings) and
 * mutates (a JSONPatch pinning every tag to the digest that was verified) pods and the pod
 * templates of workloads.
 *
 * <p>Per request, images are deduplicated, each tag is resolved to a digest once and only the
 * digest is verified, concurrently on a bounded pool. Each digest is answered, in order, by the
 * verdict cache, the {@link FastPath} (only when the policy cannot read the namespace or trigger,
 * {@link dev.gatehouse.policy.PolicyBundle#readsCallerContext}), or the pipeline; one digest verified by several requests at
 * once runs once. Whatever is not decided by the deadline is denied with a message saying so
 * (unless the loudly named {@code failOpenUnsafe} is set); its verification still completes in the
 * background and fills the cache, so the API server's retry is answered quickly.
 *
 * <p>Dry-run requests are checked like any other but leave nothing behind: no cache writes.
 */
public final class AdmissionHandler implements AutoCloseable {

    static final String TRIGGER = "admission";
    static final int MAX_MESSAGE_CHARS = 16 * 1024;
    static final int MAX_WARNING_CHARS = 256;
    static final int MAX_ANNOTATION_CHARS = 4096;
    static final String WOULD_DENY_ANNOTATION = "would-deny";
    static final String ADMITTED_UNVERIFIED_ANNOTATION = "admitted-unverified";

    private static final System.Logger LOG = System.getLogger(AdmissionHandler.class.getName());

    private final AdmissionConfig config;
    private final VerificationPipeline pipeline;
    private final OciRepositories repositories;
    private final VerdictCache cache;
    private final FastPath fastPath;
    private final Digest trustConfiguration;
    private final Clock clock;
    private final ExecutorService executor;
    private final Map<VerdictCache.Key, CompletableFuture<Decided>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param repositories       the registries tags are resolved in (the pipeline's, so clients and tokens are shared)
     * @param trustConfiguration digest of the trust configuration the pipeline verifies with (part of cache keys)
     */
    public AdmissionHandler(AdmissionConfig config, VerificationPipeline pipeline, OciRepositories repositories, VerdictCache cache,
                            FastPath fastPath, Digest trustConfiguration, Clock clock) {
        this.config = config;
        this.pipeline = pipeline;
        this.repositories = repositories;
        this.cache = cache;
        this.fastPath = fastPath == null ? FastPath.NONE : fastPath;
        this.trustConfiguration = trustConfiguration;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        // Its own pool, never the pipeline's: verifications wait on the pipeline's tasks.
        this.executor = Executors.newFixedThreadPool(config.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-admission-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public AdmissionConfig config() {
        return config;
    }

    /** A ValidatingWebhook call: allow or deny, with warnings; never a patch. */
    public AdmissionOutcome validate(byte[] review) throws MalformedInputException {
        return review(AdmissionRequest.parse(review), false);
    }

    /** A MutatingWebhook call: the same verdict, and when allowed a patch pinning tags to the verified digests. */
    public AdmissionOutcome mutate(byte[] review) throws MalformedInputException {
        return review(AdmissionRequest.parse(review), true);
    }

    public AdmissionOutcome review(AdmissionRequest request, boolean mutate) {
        long start = System.nanoTime();
        long deadline = start + config.deadline().toNanos();
        AdmissionMode mode = config.modeFor(request.namespace());
        if (!AdmissionRequest.CHECKED_OPERATIONS.contains(request.operation()) || request.images().isEmpty()
                || config.exemptingNamespace(request.namespace()).isPresent()) {
            return new AdmissionOutcome(allow(request), mode, List.of(), millisSince(start));
        }

        Map<String, ImageReference> distinct = new LinkedHashMap<>();
        Map<String, ImageVerdict> verdicts = new LinkedHashMap<>();
        Map<String, String> keyOfWritten = new LinkedHashMap<>();
        for (ContainerImage image : request.images()) {
            String written = image.image();
            if (keyOfWritten.containsKey(written)) {
                continue;
            }
            try {
                ImageReference ref = registryReference(written);
                String key = ref.toString();
                keyOfWritten.put(written, key);
                distinct.putIfAbsent(key, ref);
                config.exemptingImage(ref.repositoryName()).ifPresent(glob -> verdicts.putIfAbsent(key, new Exempt(glob)));
            } catch (IllegalArgumentException e) {
                keyOfWritten.put(written, written);
                verdicts.put(written, new Invalid(e.getMessage()));
            }
        }

        Map<String, Future<ImageVerdict>> tasks = new LinkedHashMap<>();
        distinct.forEach((key, ref) -> {
            if (!verdicts.containsKey(key)) {
                tasks.put(key, executor.submit(() -> check(ref, request.namespace(), request.dryRun(), deadline)));
            }
        });
        tasks.forEach((key, task) -> verdicts.put(key, await(task, deadline)));

        List<CheckedImage> checked = new ArrayList<>();
        Map<String, List<ContainerImage>> containersByKey = new LinkedHashMap<>();
        for (ContainerImage image : request.images()) {
            containersByKey.computeIfAbsent(keyOfWritten.get(image.image()), k -> new ArrayList<>()).add(image);
        }
        containersByKey.forEach((key, containers) -> checked.add(new CheckedImage(containers.get(0).image(), verdicts.get(key))));
        AdmissionResponse response = respond(request, mode, mutate, containersByKey, verdicts);
        return new AdmissionOutcome(response, mode, checked, millisSince(start));
    }

    /** Pod specs name registry images; a layout path ({@code oci:/dir}) would read this host's disk. */
    private static ImageReference registryReference(String written) {
        ImageReference ref = ImageReference.parse(written);
        if (ref.isLayout()) {
            throw new IllegalArgumentException("'" + written + "' is not a registry image reference");
        }
        return ref;
    }

    private ImageVerdict await(Future<ImageVerdict> task, long deadline) {
        try {
            return task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return new Undecided(deadlineMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Undecided("interrupted before a verdict");
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.ERROR, "admission check failed", e.getCause());
            return new Undecided("internal error while verifying");
        }
    }

    private String deadlineMessage() {
        return "not decided within the " + human(config.deadline()) + " admission deadline (verification continues; "
                + "a retry may be answered from the cache)";
    }

    /** Resolves a tag once, then answers the digest from the cache, an in-flight verification, the fast path or the pipeline. */
    private ImageVerdict check(ImageReference ref, String namespace, boolean dryRun, long deadline) {
        if (System.nanoTime() - deadline > 0) {
            return new Undecided(deadlineMessage());
        }
        Digest digest = ref.digest();
        if (digest == null) {
            try {
                digest = repositories.open(ref).resolve(ref.tag()).digest();
            } catch (RegistryException e) {
                return new Undecided("cannot resolve the tag: " + e.getMessage());
            }
        }
        // Verified by digest alone: the verdict belongs to the digest, whatever tag led to it.
        ImageReference pinned = new ImageReference(ref.registry(), ref.repository(), null, digest, null);
        VerdictCache.Key key;
        try {
            key = new VerdictCache.Key(ref.repositoryName(), digest, pipeline.policy().revision(), trustConfiguration, namespace);
        } catch (IllegalArgumentException e) {
            key = null;
        }
        if (key == null) {
            return decide(pinned, null, namespace, true);
        }
        Optional<VerdictCache.Verdict> cached = cacheGet(key);
        if (cached.isPresent()) {
            return new Decided(pinned, cached.get(), Source.CACHE);
        }
        CompletableFuture<Decided> mine = new CompletableFuture<>();
        CompletableFuture<Decided> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return new Undecided(deadlineMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Undecided("interrupted before a verdict");
            } catch (ExecutionException e) {
                return e.getCause() instanceof UndecidedException u ? new Undecided(u.getMessage())
                        : new Undecided("internal error while verifying");
            }
        }
        try {
            ImageVerdict verdict = decide(pinned, key, namespace, dryRun);
            if (verdict instanceof Decided d) {
                mine.complete(d);
            } else {
                mine.completeExceptionally(new UndecidedException(((Undecided) verdict).reason()));
            }
            return verdict;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private ImageVerdict decide(ImageReference pinned, VerdictCache.Key key, String namespace, boolean dryRun) {
        // Fast-path verdicts were reached at push time, with no namespace: they stand for this
        // namespace only when the policy cannot tell the two apart.
        if (key != null && !pipeline.policy().readsCallerContext()) {
            Optional<VerdictCache.Verdict> fast;
            try {
                fast = fastPath.decide(pinned, key);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "admission fast path failed for " + pinned + ": " + e.getMessage());
                fast = Optional.empty();
            }
            if (fast.isPresent()) {
                remember(key, fast.get(), dryRun);
                return new Decided(pinned, fast.get(), Source.FAST_PATH);
            }
        }
        VerificationReport report;
        try {
            report = pipeline.verify(new VerificationRequest(pinned, null, TRIGGER, namespace, List.of(), List.of()));
        } catch (VerificationException e) {
            return new Undecided(e.getMessage());
        }
        VerdictCache.Verdict verdict = verdictOf(report.decision());
        if (key != null) {
            remember(key, verdict, dryRun);
        }
        return new Decided(pinned, verdict, Source.PIPELINE);
    }

    private VerdictCache.Verdict verdictOf(Decision decision) {
        List<Violation> reasons = decision.outcome() == Decision.Outcome.DENY ? decision.denials() : decision.warnings();
        return new VerdictCache.Verdict(decision.outcome(), reasons.stream().limit(VerdictCache.Verdict.MAX_REASONS)
                .map(v -> v.policy() + ": " + v.message()).toList(), clock.instant());
    }

    private Optional<VerdictCache.Verdict> cacheGet(VerdictCache.Key key) {
        try {
            return cache.get(key);
        } catch (RuntimeException e) {
            // A cache that cannot answer costs a verification, never a verdict.
            LOG.log(System.Logger.Level.WARNING, "verdict cache read failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Successes are cached; denials only when configured (a signature attached after a deny should count at once). */
    private void remember(VerdictCache.Key key, VerdictCache.Verdict verdict, boolean dryRun) {
        boolean denied = verdict.outcome() == Decision.Outcome.DENY;
        if (dryRun || denied && !config.cacheDenials()) {
            return;
        }
        try {
            cache.put(key, verdict, denied ? config.denialCacheTtl() : config.cacheTtl());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "verdict cache write failed: " + e.getMessage());
        }
    }

    private AdmissionResponse respond(AdmissionRequest request, AdmissionMode mode, boolean mutate,
                                      Map<String, List<ContainerImage>> containersByKey, Map<String, ImageVerdict> verdicts) {
        List<String> denials = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> wouldDeny = new ArrayList<>();
        List<String> admittedUnverified = new ArrayList<>();
        containersByKey.forEach((key, containers) -> {
            String image = containers.get(0).image();
            String subject = image + " (" + containers.stream().map(ContainerImage::container).distinct()
                    .collect(Collectors.joining(", ")) + ")";
            ImageVerdict verdict = verdicts.get(key);
            List<String> problems = problems(verdict);
            if (verdict instanceof Decided d && d.verdict().outcome() == Decision.Outcome.WARN && mode != AdmissionMode.AUDIT) {
                d.verdict().reasons().forEach(r -> warnings.add(image + ": " + r));
            }
            if (problems.isEmpty()) {
                return;
            }
            String line = Printable.oneLine(subject + ": " + String.join("; ", problems), MAX_ANNOTATION_CHARS);
            if (verdict instanceof Undecided && config.failOpenUnsafe()) {
                admittedUnverified.add(line);
                if (mode != AdmissionMode.AUDIT) {
                    warnings.add(image + ": admitted without verification (failOpenUnsafe): " + problems.get(0));
                }
                return;
            }
            switch (mode) {
                case ENFORCE -> denials.add(line);
                case WARN -> {
                    problems.forEach(p -> warnings.add(image + ": would be denied: " + p));
                    wouldDeny.add(line);
                }
                case AUDIT -> wouldDeny.add(line);
            }
        });
        Map<String, String> annotations = new LinkedHashMap<>();
        if (!wouldDeny.isEmpty()) {
            annotations.put(WOULD_DENY_ANNOTATION, truncated(String.join(" | ", wouldDeny), MAX_ANNOTATION_CHARS));
        }
        if (!admittedUnverified.isEmpty()) {
            annotations.put(ADMITTED_UNVERIFIED_ANNOTATION, truncated(String.join(" | ", admittedUnverified), MAX_ANNOTATION_CHARS));
        }
        List<String> cleanWarnings = warnings.stream().map(w -> Printable.oneLine(w, MAX_WARNING_CHARS)).distinct().toList();
        if (!denials.isEmpty()) {
            // One line per offending image.
            String message = truncated(String.join("\n", denials), MAX_MESSAGE_CHARS);
            return new AdmissionResponse(request.apiVersion(), request.uid(), false, message, cleanWarnings, Map.of(), annotations);
        }
        Map<String, String> patches = new LinkedHashMap<>();
        if (mutate) {
            containersByKey.forEach((key, containers) -> {
                if (verdicts.get(key) instanceof Decided d) {
                    for (ContainerImage c : containers) {
                        if (ImageReference.parse(c.image()).digest() == null) {
                            patches.put(c.pointer(), c.image() + "@" + d.pinned().digest());
                        }
                    }
                }
            });
        }
        return new AdmissionResponse(request.apiVersion(), request.uid(), true, null, cleanWarnings, patches, annotations);
    }

    /** Why an image keeps the request from being admitted; empty when nothing does. */
    private static List<String> problems(ImageVerdict verdict) {
        if (verdict instanceof Decided d && d.verdict().outcome() == Decision.Outcome.DENY) {
            return d.verdict().reasons().isEmpty() ? List.of("denied by policy") : d.verdict().reasons();
        }
        if (verdict instanceof Invalid i) {
            return List.of(i.reason());
        }
        if (verdict instanceof Undecided u) {
            return List.of("not verified: " + u.reason());
        }
        return List.of();
    }

    private static AdmissionResponse allow(AdmissionRequest request) {
        return new AdmissionResponse(request.apiVersion(), request.uid(), true, null, List.of(), Map.of(), Map.of());
    }

    private static String truncated(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Carries an owner's undecided reason to the requests that waited on the same digest. */
    private static final class UndecidedException extends Exception {
        UndecidedException(String reason) {
            super(reason, null, false, false);
        }
    }
}
