package dev.gatehouse.rego.builtins.graphql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * gqlparser's OverlappingFieldsCanBeMerged rule: fields that share a response name (directly, through
 * inline fragments or through fragment spreads) must be the same field with the same arguments and
 * compatible types, recursively. The number of field comparisons is bounded, since a hostile query
 * can make the comparison quadratic; past the bound the query is reported as too complex.
 */
final class OverlappingFields {

    static final int MAX_COMPARISONS = 1_000_000;

    /** A conflict between two fields, possibly made of conflicts between their subfields. */
    private record Conflict(String responseName, String message, List<Conflict> sub, Ast.Position position) {

        void describe(StringBuilder out) {
            if (sub.isEmpty()) {
                out.append(message);
                return;
            }
            for (int i = 0; i < sub.size(); i++) {
                Conflict c = sub.get(i);
                out.append("subfields \"").append(c.responseName).append("\" conflict because ");
                c.describe(out);
                if (i != sub.size() - 1) {
                    out.append(" and ");
                }
            }
        }
    }

    /** Fields by response name in first-seen order, and the fragment spreads beside them. */
    private record Collected(Map<String, List<Ast.Field>> fields, List<Ast.FragmentSpread> spreads) {
    }

    private final Schema schema;
    private final Map<String, Map<String, Boolean>> comparedFragmentPairs = new HashMap<>();
    private Set<String> comparedFragments = new HashSet<>();
    private long comparisons;
    private int depth;
    private boolean tooComplexReported;

    private OverlappingFields(Schema schema) {
        this.schema = schema;
    }

    static void register(QueryValidator v) {
        OverlappingFields rule = new OverlappingFields(v.schema());
        v.onOperation((w, op) -> rule.check(w, op.selectionSet));
        v.onField((w, field) -> {
            if (w.currentOperation() != null) {
                rule.check(w, field.selectionSet);
            }
        });
        v.onInlineFragment((w, inline) -> rule.check(w, inline.selectionSet));
        v.onFragment((w, fragment) -> rule.check(w, fragment.selectionSet));
    }

    private void check(QueryValidator w, List<Ast.Selection> selectionSet) {
        if (selectionSet.isEmpty()) {
            return;
        }
        List<Conflict> conflicts = new ArrayList<>();
        try {
            Collected collected = collect(selectionSet);
            collectWithin(conflicts, collected.fields);
            comparedFragments = new HashSet<>();
            List<Ast.FragmentSpread> spreads = collected.spreads;
            for (int i = 0; i < spreads.size(); i++) {
                betweenFieldsAndFragment(conflicts, false, collected.fields, spreads.get(i));
                for (int j = i + 1; j < spreads.size(); j++) {
                    betweenFragments(conflicts, false, spreads.get(i), spreads.get(j));
                }
            }
        } catch (TooComplex e) {
            depth = 0;
            if (!tooComplexReported) {
                tooComplexReported = true;
                w.report("Query is too complex to check for overlapping fields (more than " + MAX_COMPARISONS
                        + " field comparisons or " + 2 * Parser.MAX_DEPTH + " levels).", null);
            }
            return;
        }
        for (Conflict c : conflicts) {
            StringBuilder reason = new StringBuilder();
            c.describe(reason);
            w.report("Fields \"" + c.responseName + "\" conflict because " + reason
                    + ". Use different aliases on the fields to fetch both if this was intentional.", c.position);
        }
    }

    /** Fragment chains and nested selections make the comparison recurse; bound it like the walk. */
    private void enter() {
        if (++depth > 2 * Parser.MAX_DEPTH) {
            throw new TooComplex();
        }
    }

    /** Unwinds a comparison that ran past {@link #MAX_COMPARISONS}. */
    private static final class TooComplex extends RuntimeException {
        TooComplex() {
            super(null, null, false, false);
        }
    }

    private void betweenFieldsAndFragment(List<Conflict> conflicts, boolean exclusive,
            Map<String, List<Ast.Field>> fields, Ast.FragmentSpread spread) {
        enter();
        try {
            if (!comparedFragments.add(spread.name) || spread.definition == null) {
                return;
            }
            Collected b = collect(spread.definition.selectionSet);
            if (sameFields(fields, b.fields)) {
                return;
            }
            collectBetween(conflicts, exclusive, fields, b.fields);
            for (Ast.FragmentSpread s : b.spreads) {
                if (!s.name.equals(spread.name)) {
                    betweenFieldsAndFragment(conflicts, exclusive, fields, s);
                }
            }
        } finally {
            depth--;
        }
    }

    private static boolean sameFields(Map<String, List<Ast.Field>> a, Map<String, List<Ast.Field>> b) {
        if (!new ArrayList<>(a.keySet()).equals(new ArrayList<>(b.keySet()))) {
            return false;
        }
        for (Map.Entry<String, List<Ast.Field>> e : a.entrySet()) {
            List<Ast.Field> other = b.get(e.getKey());
            if (other.size() != e.getValue().size()) {
                return false;
            }
            for (int i = 0; i < other.size(); i++) {
                if (other.get(i) != e.getValue().get(i)) {
                    return false;
                }
            }
        }
        return true;
    }

    private void betweenFragments(List<Conflict> conflicts, boolean exclusive, Ast.FragmentSpread a,
            Ast.FragmentSpread b) {
        enter();
        try {
            if (a.name.equals(b.name) || comparedPair(a.name, b.name, exclusive)) {
                return;
            }
            comparedFragmentPairs.computeIfAbsent(a.name, k -> new HashMap<>()).put(b.name, exclusive);
            comparedFragmentPairs.computeIfAbsent(b.name, k -> new HashMap<>()).put(a.name, exclusive);
            if (a.definition == null || b.definition == null) {
                return;
            }
            Collected ca = collect(a.definition.selectionSet);
            Collected cb = collect(b.definition.selectionSet);
            collectBetween(conflicts, exclusive, ca.fields, cb.fields);
            for (Ast.FragmentSpread s : cb.spreads) {
                betweenFragments(conflicts, exclusive, a, s);
            }
            for (Ast.FragmentSpread s : ca.spreads) {
                betweenFragments(conflicts, exclusive, s, b);
            }
        } finally {
            depth--;
        }
    }

    private boolean comparedPair(String a, String b, boolean exclusive) {
        Map<String, Boolean> m = comparedFragmentPairs.get(a);
        if (m == null || !m.containsKey(b)) {
            return false;
        }
        return exclusive || !m.get(b);
    }

    private List<Conflict> betweenSubSelectionSets(boolean exclusive, List<Ast.Selection> a, List<Ast.Selection> b) {
        List<Conflict> conflicts = new ArrayList<>();
        Collected ca = collect(a);
        Collected cb = collect(b);
        collectBetween(conflicts, exclusive, ca.fields, cb.fields);
        for (Ast.FragmentSpread s : cb.spreads) {
            comparedFragments = new HashSet<>();
            betweenFieldsAndFragment(conflicts, exclusive, ca.fields, s);
        }
        for (Ast.FragmentSpread s : ca.spreads) {
            comparedFragments = new HashSet<>();
            betweenFieldsAndFragment(conflicts, exclusive, cb.fields, s);
        }
        for (Ast.FragmentSpread sa : ca.spreads) {
            for (Ast.FragmentSpread sb : cb.spreads) {
                betweenFragments(conflicts, exclusive, sa, sb);
            }
        }
        return conflicts;
    }

    private void collectWithin(List<Conflict> conflicts, Map<String, List<Ast.Field>> fields) {
        for (List<Ast.Field> same : fields.values()) {
            for (int i = 0; i < same.size(); i++) {
                for (int j = i + 1; j < same.size(); j++) {
                    addConflict(conflicts, findConflict(false, same.get(i), same.get(j)));
                }
            }
        }
    }

    private void collectBetween(List<Conflict> conflicts, boolean exclusive, Map<String, List<Ast.Field>> a,
            Map<String, List<Ast.Field>> b) {
        for (Map.Entry<String, List<Ast.Field>> e : a.entrySet()) {
            List<Ast.Field> fieldsB = b.get(e.getKey());
            if (fieldsB == null) {
                continue;
            }
            for (Ast.Field fa : e.getValue()) {
                for (Ast.Field fb : fieldsB) {
                    addConflict(conflicts, findConflict(exclusive, fa, fb));
                }
            }
        }
    }

    private static void addConflict(List<Conflict> conflicts, Conflict c) {
        if (c != null) {
            conflicts.add(c);
        }
    }

    private Conflict findConflict(boolean parentsExclusive, Ast.Field a, Ast.Field b) {
        enter();
        try {
            if (++comparisons > MAX_COMPARISONS) {
                throw new TooComplex();
            }
            if (a.objectDefinition == null || b.objectDefinition == null) {
                return null;
            }
            boolean exclusive = parentsExclusive || (!a.objectDefinition.name.equals(b.objectDefinition.name)
                    && a.objectDefinition.kind.equals(Ast.OBJECT) && b.objectDefinition.kind.equals(Ast.OBJECT)
                    && a.definition != null && b.definition != null);
            String responseName = a.alias.isEmpty() ? a.name : a.alias;
            if (!exclusive) {
                if (!a.name.equals(b.name)) {
                    return new Conflict(responseName, "\"" + a.name + "\" and \"" + b.name + "\" are different fields",
                            List.of(), b.position);
                }
                comparisons += (long) a.arguments.size() * b.arguments.size();
                if (!sameArguments(a.arguments, b.arguments)) {
                    return new Conflict(responseName, "they have differing arguments", List.of(), b.position);
                }
            }
            if (a.definition != null && b.definition != null && a.definition.type != null && b.definition.type != null
                    && typesConflict(a.definition.type, b.definition.type)) {
                return new Conflict(responseName, "they return conflicting types \"" + a.definition.type.show()
                        + "\" and \"" + b.definition.type.show() + "\"", List.of(), b.position);
            }
            List<Conflict> sub = betweenSubSelectionSets(exclusive, a.selectionSet, b.selectionSet);
            return sub.isEmpty() ? null : new Conflict(responseName, "", sub, b.position);
        } finally {
            depth--;
        }
    }

    private static boolean sameArguments(List<Ast.Argument> a, List<Ast.Argument> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Ast.Argument x : a) {
            boolean matched = false;
            for (Ast.Argument y : b) {
                if (x.name.equals(y.name) && sameValue(x.value, y.value)) {
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameValue(Ast.Value a, Ast.Value b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.kind == b.kind && a.raw.equals(b.raw);
    }

    private boolean typesConflict(Ast.Type a, Ast.Type b) {
        if (a.elem != null) {
            return b.elem == null || typesConflict(a.elem, b.elem);
        }
        if (b.elem != null || a.nonNull != b.nonNull) {
            return true;
        }
        Ast.Definition t1 = schema.types.get(a.namedType);
        Ast.Definition t2 = schema.types.get(b.namedType);
        if (t1 != null && t2 != null && t1.isLeafType() && t2.isLeafType()) {
            return !t1.name.equals(t2.name);
        }
        return false;
    }

    private static Collected collect(List<Ast.Selection> selectionSet) {
        Map<String, List<Ast.Field>> fields = new LinkedHashMap<>();
        List<Ast.FragmentSpread> spreads = new ArrayList<>();
        collectInto(selectionSet, fields, spreads);
        return new Collected(fields, spreads);
    }

    private static void collectInto(List<Ast.Selection> selectionSet, Map<String, List<Ast.Field>> fields,
            List<Ast.FragmentSpread> spreads) {
        for (Ast.Selection s : selectionSet) {
            if (s instanceof Ast.Field f) {
                fields.computeIfAbsent(f.alias.isEmpty() ? f.name : f.alias, k -> new ArrayList<>()).add(f);
            } else if (s instanceof Ast.InlineFragment i) {
                collectInto(i.selectionSet, fields, spreads);
            } else if (s instanceof Ast.FragmentSpread spread) {
                spreads.add(spread);
            }
        }
    }
}
