package dev.gatehouse.handlers.scan;

import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryClient;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.ImageEnumerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
        try {
            for (String name : names) {
                if (images.size() >= scope.maxImages()) {
                    return new Listing(images, unlisted, true);
                }
                listRepository(client, name, pool, images, unlisted);
            }
        } finally {
            pool.shutdownNow();
        }
        boolean truncated = images.size() > scope.maxImages();
        return new Listing(truncated ? images.subList(0, scope.maxImages()) : images, unlisted, truncated);
    }

    private void listRepository(RegistryClient client, String name, ExecutorService pool, List<ListedImage> images,
            List<Unlisted> unlisted) {
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
        List<CompletableFuture<Resolution>> pending = new ArrayList<>();
        for (String tag : tags) {
            if (AttachmentTags.isAttachment(tag)) {
                continue;
            }
            pending.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return new Resolution(tag, repository.resolve(tag), null);
                } catch (RegistryException e) {
                    return new Resolution(tag, null, e.getMessage());
                }
            }, pool));
        }
        // One image per digest: tags that alias the same manifest are one scan.
        Map<dev.gatehouse.oci.Digest, List<String>> byDigest = new LinkedHashMap<>();
        for (CompletableFuture<Resolution> future : pending) {
            Resolution r = future.join();
            if (r.descriptor() == null) {
                unlisted.add(new Unlisted(registry, name, r.tag(), "cannot resolve tag: " + r.problem()));
            } else {
                byDigest.computeIfAbsent(r.descriptor().digest(), d -> new ArrayList<>()).add(r.tag());
            }
        }
        byDigest.forEach((digest, digestTags) -> images.add(new ListedImage(registry, name, digest, digestTags)));
    }
}
