package dev.gatehouse.sla;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.ports.FindingLedger;
import dev.gatehouse.ports.FindingLedger.Closed;
import dev.gatehouse.ports.FindingLedger.Closure;
import dev.gatehouse.ports.FindingLedger.Entry;
import dev.gatehouse.ports.FindingLedger.FindingKey;
import dev.gatehouse.ports.FindingLedger.ImageRecord;
import dev.gatehouse.ports.FindingLedger.Product;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Remediation SLA figures over a finding ledger at one instant: the open findings of every current
 * image (the newest digest of its tag) with their SLA and whether it is breached, the closed
 * findings with their time to fix, end-of-life status, and overall figures.
 *
 * <p>The SLA of a finding is the one the hardened policy applies ({@link SlaRules}): by severity, or
 * the KEV SLA for ids (or aliases) on the KEV list. Its clock starts when a fix became available;
 * findings without a known fix are open but cannot breach. Like the policy, age counts whole days:
 * a 7-day SLA is breached once 8 whole days have passed. Ids the bundle ignores are left out.
 */
public record SlaReport(Instant now, String rulesSource, List<ImageSla> images, List<OpenFinding> breaches,
                        List<ClosedFinding> closed, Totals totals) {

    public SlaReport {
        Objects.requireNonNull(now, "now");
        images = List.copyOf(images);
        breaches = List.copyOf(breaches);
        closed = List.copyOf(closed);
    }

    /**
     * An open finding and its SLA.
     *
     * @param clockStart when a fix became available; null while none is known
     * @param ageDays whole days since {@code clockStart} (0 without a fix)
     * @param breachStarts the first instant of the breach (null without a fix)
     */
    public record OpenFinding(Entry entry, boolean kev, int slaDays, Instant clockStart, long ageDays, Instant breachStarts,
                              boolean breached) {

        public FindingKey finding() {
            return entry.finding();
        }

        public String severity() {
            return entry.severity();
        }
    }

    /** A closed finding: how long the fix took, counted from the same start as the SLA clock. */
    public record ClosedFinding(Entry entry, Closed closed, boolean kev, int slaDays, Instant clockStart, Duration timeToFix,
                                boolean withinSla) {

        /** VEX and a newer digest remediate; a withdrawn report does not. */
        public boolean remediation() {
            return closed.closure() != Closure.WITHDRAWN;
        }
    }

    public enum EolState { SUPPORTED, ENDING_SOON, PAST }

    /** End-of-life status of one product of an image; {@code breach} when past it without extended support. */
    public record EolStatus(Product product, LocalDate endOfLife, EolState state, boolean extendedSupport) {
        public boolean breach() {
            return state == EolState.PAST && !extendedSupport;
        }
    }

    /** One current image: its open findings (breaches first) and end-of-life status. */
    public record ImageSla(ImageRecord image, List<OpenFinding> open, List<EolStatus> eol, boolean extendedSupport) {

        public String reference() {
            return image.repository() + (image.tag() == null ? "" : ":" + image.tag()) + "@" + image.digest();
        }

        public List<OpenFinding> breaches() {
            return open.stream().filter(OpenFinding::breached).toList();
        }

        public boolean eolBreach() {
            return eol.stream().anyMatch(EolStatus::breach);
        }
    }

    /**
     * Overall figures.
     *
     * @param meanTimeToRemediate mean time to fix over closed findings that were remediated; null when none was
     * @param breachesBySeverity open SLA breaches per severity
     */
    public record Totals(int images, int openFindings, int openWithFix, int breaches, int kevBreaches,
                         Map<String, Integer> breachesBySeverity, int closed, int remediated, int remediatedWithinSla,
                         Duration meanTimeToRemediate, int imagesPastEol, int imagesPastEolExempt) {}

    /** The report over {@code ledger} now, with the rules of the embedded hardened bundle. */
    public static SlaReport of(FindingLedger ledger, Clock clock) {
        try {
            return of(ledger, SlaRules.hardened(), clock);
        } catch (PolicyException e) {
            throw new IllegalStateException("the embedded hardened bundle has no usable SLA rules: " + e.getMessage(), e);
        }
    }

    public static SlaReport of(FindingLedger ledger, SlaRules rules, Clock clock) {
        Instant now = clock.instant();
        List<ImageSla> images = new ArrayList<>();
        List<OpenFinding> breaches = new ArrayList<>();
        List<ClosedFinding> closed = new ArrayList<>();
        for (ImageRecord image : ledger.images()) {
            List<OpenFinding> open = new ArrayList<>();
            for (Entry e : ledger.entries(image.repository(), image.digest())) {
                if (rules.ignored(e.finding().vulnerability())) {
                    continue;
                }
                boolean kev = e.kev() || rules.isKev(e.finding().vulnerability(), e.aliases());
                int days = rules.slaDays(e.severity(), kev);
                if (e.status() instanceof Closed c) {
                    Instant start = e.fixAvailableAt() != null ? e.fixAvailableAt() : e.firstSeen();
                    Duration took = start.isAfter(c.at()) ? Duration.ZERO : Duration.between(start, c.at());
                    closed.add(new ClosedFinding(e, c, kev, days, start, took, SlaRules.wholeDaysBetween(start, c.at()) <= days));
                } else if (e.open() && image.current()) {
                    open.add(open(e, kev, days, now));
                }
            }
            if (!image.current()) {
                continue;
            }
            open.sort(Comparator.comparing(OpenFinding::breached).reversed()
                    .thenComparing(f -> f.breachStarts() == null ? Instant.MAX : f.breachStarts()));
            boolean extended = image.extendedSupportLabel() || rules.extendedSupportRepository(image.path());
            images.add(new ImageSla(image, List.copyOf(open), eol(image, rules, extended, now), extended));
            open.stream().filter(OpenFinding::breached).forEach(breaches::add);
        }
        breaches.sort(Comparator.comparing(OpenFinding::breachStarts));
        closed.sort(Comparator.comparing((ClosedFinding c) -> c.closed().at()).thenComparing(c -> c.entry().repository()));
        return new SlaReport(now, rules.source(), List.copyOf(images), List.copyOf(breaches), List.copyOf(closed),
                totals(images, breaches, closed));
    }

    /** The current image {@code repository@digest}, if the ledger has it. */
    public Optional<ImageSla> image(String repository, Digest digest) {
        return images.stream().filter(i -> i.image().repository().equals(repository) && i.image().digest().equals(digest)).findFirst();
    }

    /** The closed findings of one vulnerability id (in any package and image). */
    public List<ClosedFinding> closed(String vulnerability) {
        return closed.stream().filter(c -> c.entry().finding().vulnerability().equals(vulnerability)).toList();
    }

    private static OpenFinding open(Entry e, boolean kev, int days, Instant now) {
        Instant start = e.fixAvailableAt();
        if (start == null) {
            return new OpenFinding(e, kev, days, null, 0, null, false);
        }
        long age = SlaRules.wholeDaysBetween(start, now);
        return new OpenFinding(e, kev, days, start, age, SlaRules.breachStarts(start, days), age > days);
    }

    private static List<EolStatus> eol(ImageRecord image, SlaRules rules, boolean extended, Instant now) {
        List<EolStatus> statuses = new ArrayList<>();
        for (Product p : image.products()) {
            Optional<LocalDate> date = rules.eolDate(p.name(), p.version());
            if (date.isEmpty()) {
                continue;
            }
            Instant end = SlaRules.endOfLife(date.get());
            EolState state = now.isAfter(end) ? EolState.PAST
                    : Duration.between(now, end).compareTo(Duration.ofDays(rules.eolWarnDays())) < 0 ? EolState.ENDING_SOON
                    : EolState.SUPPORTED;
            statuses.add(new EolStatus(p, date.get(), state, extended));
        }
        return List.copyOf(statuses);
    }

    private static Totals totals(List<ImageSla> images, List<OpenFinding> breaches, List<ClosedFinding> closed) {
        int open = 0;
        int withFix = 0;
        int pastEol = 0;
        int exempt = 0;
        for (ImageSla image : images) {
            open += image.open().size();
            withFix += (int) image.open().stream().filter(f -> f.clockStart() != null).count();
            if (image.eolBreach()) {
                pastEol++;
            } else if (image.eol().stream().anyMatch(s -> s.state() == EolState.PAST)) {
                exempt++;
            }
        }
        Map<String, Integer> bySeverity = new TreeMap<>();
        breaches.forEach(b -> bySeverity.merge(b.severity(), 1, Integer::sum));
        List<ClosedFinding> remediated = closed.stream().filter(ClosedFinding::remediation).toList();
        Duration mean = remediated.isEmpty() ? null : remediated.stream().map(ClosedFinding::timeToFix)
                .reduce(Duration.ZERO, Duration::plus).dividedBy(remediated.size());
        return new Totals(images.size(), open, withFix, breaches.size(), (int) breaches.stream().filter(OpenFinding::kev).count(),
                Collections.unmodifiableMap(bySeverity), closed.size(), remediated.size(),
                (int) remediated.stream().filter(ClosedFinding::withinSla).count(), mean, pastEol, exempt);
    }
}
