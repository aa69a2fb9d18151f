package dev.gatehouse.sla;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.FindingLedger;
import dev.gatehouse.ports.FindingLedger.Closed;
import dev.gatehouse.ports.FindingLedger.Closure;
import dev.gatehouse.ports.FindingLedger.Entry;
import dev.gatehouse.ports.FindingLedger.FindingKey;
import dev.gatehouse.ports.FindingLedger.ImageRecord;
import dev.gatehouse.ports.FindingLedger.Open;
import dev.gatehouse.ports.FindingLedger.Status;
import dev.gatehouse.ports.FindingLedger.Superseded;
import dev.gatehouse.ports.FindingLedger.TagHead;
import dev.gatehouse.sla.ImageObservation.ObservedFinding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies one verification to the finding ledger. The rules:
 *
 * <ul>
 *   <li>A digest first seen under a tag follows the digest the tag had before (its predecessor).
 *       Each open finding of the predecessor is carried over when the new digest still has it (its
 *       first-seen and fix-available times go along) and closed ({@link Closure#REMOVED}) when it
 *       does not.</li>
 *   <li>A finding a trusted VEX statement suppresses as {@code fixed} or {@code not_affected} is
 *       closed with that status; if the statement goes away on a later verification of the same
 *       digest, the finding is reopened. A finding suppressed the first time it is seen was never
 *       open and is not recorded.</li>
 *   <li>A finding that comes back in a later digest of a tag after it was closed (in any digest of
 *       the repository) is recorded as reopened, with the fix-available time already known.</li>
 *   <li>A re-verification of the same digest that no longer reports a finding closes it as
 *       {@link Closure#WITHDRAWN} (scanner data changed; not a remediation).</li>
 *   <li>Verifications without any scan change no findings; those of a digest whose tag has moved
 *       on change nothing but the image's last-verified time.</li>
 * </ul>
 *
 * Recording the same verification again writes nothing; an update that was cut short is completed.
 */
public final class LedgerRecorder {

    private final FindingLedger ledger;

    public LedgerRecorder(FindingLedger ledger) {
        this.ledger = ledger;
    }

    /** What one recording changed. */
    public record Recorded(String repository, Digest digest, Digest predecessor, int opened, int reopened, int closed, int carried,
                           int written) {}

    public Recorded record(ImageObservation o) {
        Optional<ImageRecord> known = ledger.image(o.repository(), o.digest());
        Optional<TagHead> head = o.tag() == null ? Optional.empty() : ledger.head(o.repository(), o.tag());
        Digest predecessor = known.isPresent() ? known.get().predecessor()
                : head.map(TagHead::digest).filter(d -> !d.equals(o.digest())).orElse(null);
        ImageRecord image = imageRecord(o, known.orElse(null), predecessor);

        List<ImageRecord> images = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        int[] counts = new int[4];
        boolean frozen = known.isPresent() && !known.get().current();
        if (o.scanned() && !frozen) {
            Map<FindingKey, Entry> existing = byKey(ledger.entries(o.repository(), o.digest()));
            Map<FindingKey, Entry> previous = predecessor == null ? Map.of() : byKey(ledger.entries(o.repository(), predecessor));
            Map<FindingKey, ObservedFinding> observed = new HashMap<>();
            for (ObservedFinding f : o.findings()) {
                observed.put(f.key(), f);
                Entry e = existing.get(f.key());
                Entry updated = e != null ? again(e, f, o, counts) : first(f, previous.get(f.key()), predecessor != null, o, counts);
                if (updated != null && !updated.equals(e)) {
                    entries.add(updated);
                }
            }
            for (Entry e : existing.values()) {
                if (e.open() && !observed.containsKey(e.finding())) {
                    entries.add(e.with(new Closed(o.verifiedAt(), Closure.WITHDRAWN, o.digest()), o.verifiedAt()));
                    counts[2]++;
                }
            }
            for (Entry pe : previous.values()) {
                if (pe.open()) {
                    boolean stillThere = observed.containsKey(pe.finding());
                    entries.add(pe.with(stillThere ? new Superseded(o.verifiedAt(), o.digest())
                            : new Closed(o.verifiedAt(), Closure.REMOVED, o.digest()), o.verifiedAt()));
                    counts[stillThere ? 3 : 2]++;
                }
            }
            if (predecessor != null) {
                ledger.image(o.repository(), predecessor).filter(ImageRecord::current).ifPresent(p -> images.add(
                        new ImageRecord(p.repository(), p.digest(), p.tag(), p.predecessor(), p.path(), p.firstVerifiedAt(),
                                p.lastVerifiedAt(), p.products(), p.extendedSupportLabel(), o.digest(), o.verifiedAt())));
            }
        }
        if (!image.equals(known.orElse(null))) {
            images.add(0, image);
        }
        TagHead newHead = null;
        if (o.tag() != null && (head.isEmpty() || (!head.get().digest().equals(o.digest())
                && (known.isEmpty() || head.get().digest().equals(predecessor))))) {
            newHead = new TagHead(o.repository(), o.tag(), o.digest(), o.verifiedAt());
        }
        if (!images.isEmpty() || !entries.isEmpty() || newHead != null) {
            ledger.write(new FindingLedger.Update(images, entries, newHead));
        }
        return new Recorded(o.repository(), o.digest(), predecessor, counts[0], counts[1], counts[2], counts[3],
                images.size() + entries.size() + (newHead == null ? 0 : 1));
    }

    /** A finding this digest already has an entry for. */
    private static Entry again(Entry e, ObservedFinding f, ImageObservation o, int[] counts) {
        Status status = e.status();
        boolean reopened = e.reopened();
        if (status instanceof Open && f.suppression() != null) {
            status = new Closed(o.verifiedAt(), f.suppression(), o.digest());
            counts[2]++;
        } else if (status instanceof Closed c && c.by().equals(o.digest()) && c.closure() != Closure.REMOVED
                && f.suppression() == null) {
            status = new Open();
            reopened = true;
            counts[1]++;
        }
        Entry updated = new Entry(e.repository(), e.digest(), e.finding(), f.aliases(), f.severity(), e.kev() || f.kev(),
                e.firstSeen(), earliest(e.fixAvailableAt(), fixSeen(f, o)), reopened, status, e.updatedAt());
        return updated.equals(e) ? e : updated.with(status, o.verifiedAt());
    }

    /** A finding new to this digest: carried over from the predecessor, reopened, or new. */
    private Entry first(ObservedFinding f, Entry previous, boolean lineHasPast, ImageObservation o, int[] counts) {
        Instant fix = fixSeen(f, o);
        Status status = f.suppression() == null ? new Open() : new Closed(o.verifiedAt(), f.suppression(), o.digest());
        boolean carried = previous != null && (previous.open()
                || previous.status() instanceof Superseded s && s.by().equals(o.digest()));
        if (carried) {
            if (f.suppression() != null) {
                counts[2]++;
            }
            return new Entry(o.repository(), o.digest(), f.key(), f.aliases(), f.severity(), previous.kev() || f.kev(),
                    previous.firstSeen(), earliest(previous.fixAvailableAt(), fix), previous.reopened(), status, o.verifiedAt());
        }
        if (f.suppression() != null) {
            return null;
        }
        boolean closedBefore = false;
        // Only a line with a past can bring a finding back; the first digest of a tag costs no lookups.
        for (Entry h : lineHasPast ? ledger.history(o.repository(), f.key()) : List.<Entry>of()) {
            if (!h.digest().equals(o.digest()) && h.status() instanceof Closed) {
                closedBefore = true;
                fix = earliest(fix, h.fixAvailableAt());
            }
        }
        counts[closedBefore ? 1 : 0]++;
        return new Entry(o.repository(), o.digest(), f.key(), f.aliases(), f.severity(), f.kev(), o.verifiedAt(), fix, closedBefore,
                status, o.verifiedAt());
    }

    private static ImageRecord imageRecord(ImageObservation o, ImageRecord known, Digest predecessor) {
        if (known == null) {
            return new ImageRecord(o.repository(), o.digest(), o.tag(), predecessor, o.path(), o.verifiedAt(), o.verifiedAt(),
                    o.products(), o.extendedSupportLabel(), null, null);
        }
        Instant last = o.verifiedAt().isAfter(known.lastVerifiedAt()) ? o.verifiedAt() : known.lastVerifiedAt();
        boolean newest = !o.verifiedAt().isBefore(known.lastVerifiedAt());
        return new ImageRecord(known.repository(), known.digest(), known.tag(), known.predecessor(), known.path(),
                known.firstVerifiedAt(), last, newest && !o.products().isEmpty() ? o.products() : known.products(),
                newest ? o.extendedSupportLabel() : known.extendedSupportLabel(), known.supersededBy(), known.supersededAt());
    }

    /** When this verification says a fix became available: the scanner's date, else now, if it lists a fix. */
    private static Instant fixSeen(ObservedFinding f, ImageObservation o) {
        if (!f.fixAvailable()) {
            return null;
        }
        return earliest(o.verifiedAt(), f.fixAvailableSince());
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Map<FindingKey, Entry> byKey(List<Entry> entries) {
        Map<FindingKey, Entry> map = new HashMap<>();
        entries.forEach(e -> map.put(e.finding(), e));
        return map;
    }
}
