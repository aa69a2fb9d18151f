package dev.gatehouse.ports.local;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.FindingLedger;
import dev.gatehouse.ports.StoredKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The finding ledger in process memory, in the same orders as the DynamoDB ledger. */
public final class InMemoryFindingLedger implements FindingLedger {

    private final NavigableMap<String, ImageRecord> images = new ConcurrentSkipListMap<>();
    private final Map<String, NavigableMap<String, Entry>> entriesByImage = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<String, Entry>> entriesByFinding = new ConcurrentHashMap<>();
    private final Map<String, TagHead> heads = new ConcurrentHashMap<>();

    @Override
    public synchronized void write(Update update) {
        for (ImageRecord image : update.images()) {
            images.put(imageKey(image.repository(), image.digest()), image);
        }
        for (Entry entry : update.entries()) {
            entriesByImage.computeIfAbsent(imageKey(entry.repository(), entry.digest()), k -> new ConcurrentSkipListMap<>())
                    .put(entry.finding().storageId(), entry);
            entriesByFinding.computeIfAbsent(findingKey(entry.repository(), entry.finding()), k -> new ConcurrentSkipListMap<>())
                    .put(entry.digest().toString(), entry);
        }
        if (update.head() != null) {
            heads.put(update.head().repository() + ":" + update.head().tag(), update.head());
        }
    }

    @Override
    public Optional<ImageRecord> image(String repository, Digest digest) {
        return Optional.ofNullable(images.get(imageKey(StoredKeys.repository(repository), digest)));
    }

    @Override
    public List<ImageRecord> images() {
        return new ArrayList<>(images.values());
    }

    @Override
    public List<Entry> entries(String repository, Digest digest) {
        NavigableMap<String, Entry> entries = entriesByImage.get(imageKey(StoredKeys.repository(repository), digest));
        return entries == null ? List.of() : new ArrayList<>(entries.values());
    }

    @Override
    public List<Entry> history(String repository, FindingKey finding) {
        NavigableMap<String, Entry> entries = entriesByFinding.get(findingKey(StoredKeys.repository(repository), finding));
        return entries == null ? List.of() : new ArrayList<>(entries.values());
    }

    @Override
    public Optional<TagHead> head(String repository, String tag) {
        return Optional.ofNullable(heads.get(StoredKeys.repository(repository) + ":" + StoredKeys.tag(tag)));
    }

    private static String imageKey(String repository, Digest digest) {
        return repository + "@" + digest;
    }

    private static String findingKey(String repository, FindingKey finding) {
        return repository + "#" + finding.storageId();
    }
}
