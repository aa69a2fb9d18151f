package dev.gatehouse.vex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements of all trusted VEX documents in precedence order (oldest first, so the last
 * matching statement wins), indexed by vulnerability id and alias, plus what was left out and why.
 * Immutable; build it once per set of documents and share it.
 */
public final class MergedVex {

    private final String id;
    private final List<VexStatement> statements;
    private final List<VexDocument> untrusted;
    private final List<VexStatement> inapplicable;
    private final Map<String, List<VexStatement>> byVulnerability = new HashMap<>();
    private final Map<VexStatement, Integer> rank = new IdentityHashMap<>();

    MergedVex(String id, List<VexStatement> sorted, List<VexDocument> untrusted, List<VexStatement> inapplicable) {
        this.id = id;
        this.statements = List.copyOf(sorted);
        this.untrusted = List.copyOf(untrusted);
        this.inapplicable = List.copyOf(inapplicable);
        for (int i = 0; i < statements.size(); i++) {
            VexStatement s = statements.get(i);
            rank.put(s, i);
            Set<String> keys = new LinkedHashSet<>();
            keys.add(s.vulnerability());
            keys.addAll(s.aliases());
            for (String k : keys) {
                byVulnerability.computeIfAbsent(k, x -> new ArrayList<>()).add(s);
            }
        }
        byVulnerability.replaceAll((k, v) -> Collections.unmodifiableList(v));
    }

    /** No VEX at all. */
    public static MergedVex empty() {
        return new MergedVex("merged-vex-empty", List.of(), List.of(), List.of());
    }

    /** A deterministic id: {@code merged-vex-<sha256 of the sorted document ids joined by ':'>}. */
    public String id() {
        return id;
    }

    /** Every applicable statement, oldest first. */
    public List<VexStatement> statements() {
        return statements;
    }

    /** Documents not applied because their source is not trusted. */
    public List<VexDocument> untrusted() {
        return untrusted;
    }

    /** Statements not applied, each with its {@link VexStatement#defect()}. */
    public List<VexStatement> inapplicable() {
        return inapplicable;
    }

    /** The statements about any of the ids (a finding's id and aliases), oldest first, each once. */
    public List<VexStatement> about(Set<String> vulnerabilityIds) {
        List<VexStatement> hits = null;
        boolean copied = false;
        for (String vid : vulnerabilityIds) {
            List<VexStatement> l = byVulnerability.get(vid);
            if (l == null) {
                continue;
            }
            if (hits == null) {
                hits = l;
            } else {
                Set<VexStatement> union = Collections.newSetFromMap(new IdentityHashMap<>());
                union.addAll(hits);
                union.addAll(l);
                List<VexStatement> merged = new ArrayList<>(union);
                merged.sort(Comparator.comparingInt(rank::get));
                hits = merged;
                copied = true;
            }
        }
        if (hits == null) {
            return List.of();
        }
        return copied ? Collections.unmodifiableList(hits) : hits;
    }
}
