package dev.gatehouse.vex;

import dev.gatehouse.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges VEX documents into one precedence-ordered statement list (rules in docs/vex.md):
 * untrusted documents are left out; statements took their document's timestamp when they had
 * none; statements are ordered by timestamp, then by document time, then by the order the
 * documents were given, then by position, so for a (vulnerability, product) pair the latest
 * statement wins. Inapplicable statements (not_affected without justification or impact) are
 * listed but never applied.
 */
public final class VexMerger {

    /** Oldest first; statements without any timestamp count as oldest. */
    static final Comparator<VexStatement> PRECEDENCE = Comparator
            .comparing(VexStatement::timestamp, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()));

    private VexMerger() {}

    public static MergedVex merge(List<VexDocument> documents) throws VexMergeException {
        return merge(documents, Set.of(), Set.of());
    }

    /**
     * Merges, keeping only statements about one of {@code products} (identifiers; empty for all)
     * and one of {@code vulnerabilities} (empty for all).
     */
    public static MergedVex merge(List<VexDocument> documents, Set<String> products, Set<String> vulnerabilities)
            throws VexMergeException {
        if (documents.isEmpty()) {
            throw new VexMergeException("at least one VEX document is required to merge");
        }
        List<ProductIdentity> productFilter = products.stream().map(ProductIdentity::ofIdentifier).toList();
        List<VexDocument> trusted = new ArrayList<>();
        List<VexDocument> untrusted = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            VexDocument d = documents.get(i);
            ids.add(d.id() == null || d.id().isBlank() ? "VEX-DOC-" + i : d.id());
            if (d.source() != null && d.source().trusted()) {
                trusted.add(d);
            } else {
                untrusted.add(d);
            }
        }
        Map<VexStatement, int[]> order = new IdentityHashMap<>();
        List<VexStatement> applicable = new ArrayList<>();
        List<VexStatement> inapplicable = new ArrayList<>();
        for (int di = 0; di < trusted.size(); di++) {
            VexDocument d = trusted.get(di);
            for (VexStatement s : d.statements()) {
                if (!vulnerabilities.isEmpty() && vulnerabilities.stream().noneMatch(s::names)) {
                    continue;
                }
                if (!productFilter.isEmpty() && productFilter.stream().noneMatch(p -> aboutProduct(s, p))) {
                    continue;
                }
                if (s.timestamp() == null && d.format() == VexFormat.OPENVEX) {
                    throw new VexMergeException("unable to cascade timestamp from document " + d.id() + " to a timeless statement");
                }
                order.put(s, new int[] {di, s.position()});
                (s.applicable() ? applicable : inapplicable).add(s);
            }
        }
        Map<VexStatement, Instant> docTimes = new IdentityHashMap<>();
        for (VexDocument d : trusted) {
            for (VexStatement s : d.statements()) {
                docTimes.put(s, d.timestamp());
            }
        }
        Comparator<VexStatement> full = PRECEDENCE
                .thenComparing(s -> docTimes.get(s), Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
                .thenComparingInt(s -> order.get(s)[0])
                .thenComparingInt(s -> order.get(s)[1]);
        applicable.sort(full);
        ids.sort(null);
        String id = "merged-vex-" + Digest.sha256(String.join(":", ids).getBytes(StandardCharsets.UTF_8)).hex();
        return new MergedVex(id, applicable, untrusted, inapplicable);
    }

    private static boolean aboutProduct(VexStatement s, ProductIdentity p) {
        for (VexProduct vp : s.products()) {
            if (vp.product().matches(p)) {
                return true;
            }
        }
        return false;
    }
}
