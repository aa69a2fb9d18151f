package dev.gatehouse.rego.value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** An immutable Rego set; iteration follows insertion order, {@link #sorted()} OPA's order. */
public final class SetValue implements Value {

    static final int RANK = 6;
    public static final SetValue EMPTY = new SetValue(new LinkedHashSet<>());

    private final Set<Value> elements;
    private volatile List<Value> sorted;
    private int hash;

    private SetValue(LinkedHashSet<Value> elements) {
        this.elements = elements;
    }

    public static SetValue of(Collection<? extends Value> elements) {
        return elements.isEmpty() ? EMPTY : new SetValue(new LinkedHashSet<>(elements));
    }

    public static SetValue of(Value... elements) {
        return of(List.of(elements));
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean contains(Value v) {
        return elements.contains(v);
    }

    public int size() {
        return elements.size();
    }

    public Set<Value> elements() {
        return Collections.unmodifiableSet(elements);
    }

    public List<Value> sorted() {
        List<Value> s = sorted;
        if (s == null) {
            List<Value> list = new ArrayList<>(elements);
            Collections.sort(list);
            s = Collections.unmodifiableList(list);
            sorted = s;
        }
        return s;
    }

    @Override
    public int typeRank() {
        return RANK;
    }

    @Override
    public String typeName() {
        return "set";
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof SetValue x && x.hashCode() == hashCode() && x.elements.equals(elements));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = elements.hashCode() | 1;
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        if (elements.isEmpty()) {
            return "set()";
        }
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Value v : sorted()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(v);
        }
        return sb.append('}').toString();
    }

    /** Collects distinct elements. */
    public static final class Builder {
        private LinkedHashSet<Value> elements = new LinkedHashSet<>();

        /** Adds {@code v}; returns false when it was already present. */
        public boolean add(Value v) {
            return elements.add(v);
        }

        public boolean contains(Value v) {
            return elements.contains(v);
        }

        public int size() {
            return elements.size();
        }

        public SetValue build() {
            if (elements.isEmpty()) {
                return EMPTY;
            }
            SetValue s = new SetValue(elements);
            elements = new LinkedHashSet<>();
            return s;
        }
    }
}
