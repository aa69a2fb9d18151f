package dev.gatehouse.handlers.scan;

import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryClient;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.ImageEnumerator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Lists a registry through the OCI Distribution API: {@code /v2/_catalog} (or the repositories the
 * scope names), each repository's tag list, and each tag resolved to its digest. Attachment tags
 * are listed but not resolved (they are never scanned). A repository or tag that cannot be read is
 * reported as {@link Unlisted}; only a catalog that cannot be read fails the listing.
 */
public final class RegistryCatalogEnumerator implements ImageEnumerator {

    /** Bounds a catalog walk; a registry with more repositories is scanned by naming them. */
    public static final int MAX_REPOSITORIES = 10_000;
    private static final int RESOLVE_PARALLELISM = 8;
    /** Tag resolutions of one repository queued or running at once. */
    static final int RESOLVE_WINDOW = 2 * RESOLVE_PARALLELISM;

    private final OciRepositories repositories;
    private final String registry;

    public RegistryCatalogEnumerator(OciRepositories repositories, String registry) {
        this.repositories = repositories;
        this.registry = registry;
    }

    @Override
    public String source() {
        return registry;
    }

    @Override
    public Listing list(Scope scope) throws EnumerationException {
        RegistryClient client = repositories.client(registry);
        List<String> names;
        if (scope.repositories().isEmpty()) {
            try {
                names = client.catalog(MAX_REPOSITORIES);
            } catch (RegistryException e) {
                throw new EnumerationException(registry + ": cannot list repositories: " + e.getMessage(), e);
            }
        } else {
            names = scope.repositories();
        }
        List<ListedImage> images = new ArrayList<>();
        List<Unlisted> unlisted = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(RESOLVE_PARALLELISM, r -> {
            Thread t = new Thread(r, "scan-enumerate");
            t.setDaemon(true);
            return t;
        });
        boolean truncated = false;
        try {
            for (String name : names) {
                if (images.size() >= scope.maxImages()) {
                    truncated = true;
                    break;
                }
                listRepository(client, name, pool, scope.maxImages() - images.size(), images, unlisted);
            }
        } finally {
            pool.shutdownNow();
        }
        if (images.size() > scope.maxImages()) {
            return new Listing(images.subList(0, scope.maxImages()), unlisted, true);
        }
        return new Listing(images, unlisted, truncated);
    }

    /**
     * Lists one repository's images, resolving its tags in order with at most {@link #RESOLVE_WINDOW}
     * in flight, and stops once it has found more than {@code budget} digests: the one over tells the
     * caller the listing is truncated, and a repository with 100,000 tags costs a window of requests,
     * not 100,000. Tags past that point that alias a listed digest are then not named on it.
     */
    private void listRepository(RegistryClient client, String name, ExecutorService pool, int budget,
            List<ListedImage> images, List<Unlisted> unlisted) {
        OciRepository repository;
        List<String> tags;
        try {
            repository = client.repository(name);
            tags = repository.tags();
        } catch (RegistryException | IllegalArgumentException e) {
            unlisted.add(new Unlisted(registry, name, null, "cannot list tags: " + e.getMessage()));
            return;
        }
        record Resolution(String tag, Descriptor descriptor, String problem) {}
        Iterator<String> toResolve = tags.stream().filter(tag -> !AttachmentTags.isAttachment(tag)).iterator();
        Function<String, CompletableFuture<Resolution>> resolve = tag -> CompletableFuture.supplyAsync(() -> {
            try {
                return new Resolution(tag, repository.resolve(tag), null);
            } catch (RegistryException e) {
                return new Resolution(tag, null, e.getMessage());
            }
        }, pool);
        Deque<CompletableFuture<Resolution>> inFlight = new ArrayDeque<>();
        while (inFlight.size() < RESOLVE_WINDOW && toResolve.hasNext()) {
            inFlight.add(resolve.apply(toResolve.next()));
        }
        // One image per digest: tags that alias the same manifest are one scan.
        Map<Digest, List<String>> byDigest = new LinkedHashMap<>();
        while (!inFlight.isEmpty()) {
            Resolution r = inFlight.removeFirst().join();
            if (r.descriptor() == null) {
                unlisted.add(new Unlisted(registry, name, r.tag(), "cannot resolve tag: " + r.problem()));
            } else {
                byDigest.computeIfAbsent(r.descriptor().digest(), d -> new ArrayList<>()).add(r.tag());
            }
            if (byDigest.size() > budget) {
                // Not yet started ones never run; the pool's shutdown stops the rest.
                inFlight.forEach(f -> f.cancel(false));
                break;
            }
            if (toResolve.hasNext()) {
                inFlight.add(resolve.apply(toResolve.next()));
            }
        }
        byDigest.forEach((digest, digestTags) -> images.add(new ListedImage(registry, name, digest, digestTags)));
    }
}
