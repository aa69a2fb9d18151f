package dev.gatehouse.ports;

import dev.gatehouse.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The remediation-SLA ledger: for each finding of each image (repository and digest), when it was
 * first seen, when a fix became available and when it was fixed, and how. Images of one tag form a
 * line: when a new digest of the tag arrives, each finding of the previous digest is either carried
 * over to the new one ({@link Superseded}) or closed by it ({@link Closed}). The transitions live in
 * {@code dev.gatehouse.sla.LedgerRecorder}; a ledger only stores and reads what it is given.
 * Times are kept to the millisecond.
 */
public interface FindingLedger {

    int MAX_VULNERABILITY_ID = 256;
    int MAX_PACKAGE_REF = 1024;
    int MAX_ALIASES = 32;
    int MAX_PRODUCTS = 32;

    /** One finding: a vulnerability id in one package (purl, else {@code name@version}). */
    record FindingKey(String vulnerability, String packageRef) {
        public FindingKey {
            bounded("vulnerability id", vulnerability, MAX_VULNERABILITY_ID);
            bounded("package", packageRef, MAX_PACKAGE_REF);
        }

        /** A fixed-length key part (hex of SHA-256 over id and package), so no id or purl can alias another key. */
        public String storageId() {
            byte[] hash = Digest.newSha256().digest((vulnerability + "\n" + packageRef).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 20);
        }

        @Override
        public String toString() {
            return vulnerability + " in " + packageRef;
        }
    }

    /** How a finding stopped counting. */
    enum Closure {
        /** A later digest of the same tag no longer has it. */
        REMOVED,
        /** A trusted VEX statement says it is fixed. */
        VEX_FIXED,
        /** A trusted VEX statement says the image is not affected. */
        VEX_NOT_AFFECTED,
        /** The same digest, scanned again, is no longer reported to have it (scanner data changed; not a remediation). */
        WITHDRAWN
    }

    /** Where a finding of one digest stands. */
    sealed interface Status permits Open, Closed, Superseded {}

    /** Still present and unsuppressed in this digest, the newest of its tag. */
    record Open() implements Status {}

    /** Closed at {@code at} by the verification of {@code by} (this digest for VEX, the successor for REMOVED). */
    record Closed(Instant at, Closure closure, Digest by) implements Status {
        public Closed {
            at = millis(Objects.requireNonNull(at, "at"));
            Objects.requireNonNull(closure, "closure");
            Objects.requireNonNull(by, "by");
        }
    }

    /** Still present in {@code by}, the next digest of the tag, whose entry continues this finding's history. */
    record Superseded(Instant at, Digest by) implements Status {
        public Superseded {
            at = millis(Objects.requireNonNull(at, "at"));
            Objects.requireNonNull(by, "by");
        }
    }

    /**
     * One finding of one image.
     *
     * @param severity lower case, as in the policy input
     * @param kev the id or an alias was on the CISA KEV list when recorded
     * @param firstSeen when the finding was first seen in this line of digests (carried over from predecessors)
     * @param fixAvailableAt when a fix was first known: the earlier of the scanner's fix date and the first
     *                       verification that listed a fixed version; null while no fix is known
     * @param reopened the finding had been closed in this repository before and came back
     */
    record Entry(String repository, Digest digest, FindingKey finding, List<String> aliases, String severity, boolean kev,
                 Instant firstSeen, Instant fixAvailableAt, boolean reopened, Status status, Instant updatedAt) {
        public Entry {
            StoredKeys.repository(repository);
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(finding, "finding");
            aliases = List.copyOf(aliases);
            if (aliases.size() > MAX_ALIASES) {
                aliases = aliases.subList(0, MAX_ALIASES);
            }
            aliases.forEach(a -> bounded("alias", a, MAX_VULNERABILITY_ID));
            bounded("severity", severity, 32);
            firstSeen = millis(Objects.requireNonNull(firstSeen, "firstSeen"));
            fixAvailableAt = fixAvailableAt == null ? null : millis(fixAvailableAt);
            Objects.requireNonNull(status, "status");
            updatedAt = millis(Objects.requireNonNull(updatedAt, "updatedAt"));
        }

        public boolean open() {
            return status instanceof Open;
        }

        public Entry with(Status newStatus, Instant at) {
            return new Entry(repository, digest, finding, aliases, severity, kev, firstSeen, fixAvailableAt, reopened, newStatus, at);
        }
    }

    /** An operating system or language runtime of an image, for end-of-life tracking. */
    record Product(String name, String version) {
        public Product {
            bounded("product name", name, 128);
            bounded("product version", version, 128);
        }
    }

    /**
     * One verified image as the ledger knows it.
     *
     * @param tag the tag it was first verified under (its line), or null when only the digest was known
     * @param predecessor the digest of the same tag it replaced, or null
     * @param path the repository path without the registry host, as the policy input names it (extended-support globs match it)
     * @param products operating system and runtimes, from the SBOM and the image
     * @param extendedSupportLabel the image carries the extended-support label set to {@code "true"}
     * @param supersededBy the next digest of the same tag, or null while this is the newest
     */
    record ImageRecord(String repository, Digest digest, String tag, Digest predecessor, String path, Instant firstVerifiedAt,
                       Instant lastVerifiedAt, List<Product> products, boolean extendedSupportLabel, Digest supersededBy,
                       Instant supersededAt) {
        public ImageRecord {
            StoredKeys.repository(repository);
            Objects.requireNonNull(digest, "digest");
            if (tag != null) {
                StoredKeys.tag(tag);
            }
            bounded("repository path", path, 255);
            firstVerifiedAt = millis(Objects.requireNonNull(firstVerifiedAt, "firstVerifiedAt"));
            lastVerifiedAt = millis(Objects.requireNonNull(lastVerifiedAt, "lastVerifiedAt"));
            products = List.copyOf(products);
            if (products.size() > MAX_PRODUCTS) {
                throw new IllegalArgumentException("image has " + products.size() + " products, at most " + MAX_PRODUCTS);
            }
            if ((supersededBy == null) != (supersededAt == null)) {
                throw new IllegalArgumentException("supersededBy and supersededAt go together");
            }
            supersededAt = supersededAt == null ? null : millis(supersededAt);
        }

        public boolean current() {
            return supersededBy == null;
        }
    }

    /** The digest a tag's line has reached. */
    record TagHead(String repository, String tag, Digest digest, Instant since) {
        public TagHead {
            StoredKeys.repository(repository);
            StoredKeys.tag(tag);
            Objects.requireNonNull(digest, "digest");
            since = millis(Objects.requireNonNull(since, "since"));
        }
    }

    /**
     * What one verification changes. Stores write the image records first and the head last, so an
     * update cut short is completed when the same verification is recorded again.
     */
    record Update(List<ImageRecord> images, List<Entry> entries, TagHead head) {
        public Update {
            images = List.copyOf(images);
            entries = List.copyOf(entries);
        }
    }

    /** Writes an update: image records, then entries, then the head. Writing the same update twice is harmless. */
    void write(Update update);

    Optional<ImageRecord> image(String repository, Digest digest);

    /** Every image recorded, ordered by repository then digest. */
    List<ImageRecord> images();

    /** The findings of one image, ordered by {@link FindingKey#storageId()}. */
    List<Entry> entries(String repository, Digest digest);

    /** Every entry of one finding in any digest of {@code repository}, ordered by digest. */
    List<Entry> history(String repository, FindingKey finding);

    Optional<TagHead> head(String repository, String tag);

    private static void bounded(String what, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + what);
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(what + " is " + value.length() + " characters, at most " + max);
        }
    }

    private static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
