package dev.gatehouse.ports.local;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.ports.StoredKeys;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Results in process memory, ordered like the DynamoDB store: per digest by (time, repository,
 * revision), per repository by (time, digest).
 */
public final class InMemoryResultStore implements ResultStore {

    private final Map<Digest, NavigableMap<String, VerificationResult>> history = new ConcurrentHashMap<>();
    private final Map<String, Map<Digest, VerificationResult>> latestByRepository = new ConcurrentHashMap<>();

    @Override
    public synchronized void put(VerificationResult result) {
        history.computeIfAbsent(result.digest(), d -> new ConcurrentSkipListMap<>())
                .put(historyOrder(result), result);
        latestByRepository.computeIfAbsent(result.repository(), r -> new ConcurrentHashMap<>())
                .merge(result.digest(), result, (old, now) -> now.verifiedAt().isBefore(old.verifiedAt()) ? old : now);
    }

    @Override
    public Optional<VerificationResult> latest(Digest digest) {
        NavigableMap<String, VerificationResult> results = history.get(digest);
        return results == null || results.isEmpty() ? Optional.empty() : Optional.of(results.lastEntry().getValue());
    }

    @Override
    public List<VerificationResult> latestInRepository(String repository, int limit) {
        StoredKeys.repository(repository);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        Map<Digest, VerificationResult> latest = latestByRepository.getOrDefault(repository, Map.of());
        return latest.values().stream()
                .sorted(Comparator.comparing(InMemoryResultStore::repositoryOrder).reversed())
                .limit(limit)
                .toList();
    }

    /** The same order as the sort keys of the DynamoDB items. */
    static String historyOrder(VerificationResult result) {
        return String.format("%013d#%s#%s", result.verifiedAt().toEpochMilli(), result.repository(), result.policyRevision());
    }

    static String repositoryOrder(VerificationResult result) {
        return String.format("%013d#%s", result.verifiedAt().toEpochMilli(), result.digest());
    }
}
