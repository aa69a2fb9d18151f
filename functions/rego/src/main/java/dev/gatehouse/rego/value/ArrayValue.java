package dev.gatehouse.rego.value;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** An immutable Rego array. */
public final class ArrayValue implements Value {

    static final int RANK = 4;
    public static final ArrayValue EMPTY = new ArrayValue(new Value[0]);

    private final Value[] elements;
    private final List<Value> view;
    private int hash;

    private ArrayValue(Value[] elements) {
        this.elements = elements;
        this.view = Collections.unmodifiableList(Arrays.asList(elements));
    }

    public static ArrayValue of(Value... elements) {
        return elements.length == 0 ? EMPTY : new ArrayValue(elements.clone());
    }

    public static ArrayValue of(List<? extends Value> elements) {
        return elements.isEmpty() ? EMPTY : new ArrayValue(elements.toArray(new Value[0]));
    }

    public List<Value> elements() {
        return view;
    }

    public int size() {
        return elements.length;
    }

    public Value get(int i) {
        return elements[i];
    }

    @Override
    public int typeRank() {
        return RANK;
    }

    @Override
    public String typeName() {
        return "array";
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof ArrayValue a && a.hashCode() == hashCode() && Arrays.equals(a.elements, elements));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(elements) | 1;
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(elements[i]);
        }
        return sb.append(']').toString();
    }
}
