package dev.gatehouse.rego.value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An immutable Rego object: keys are any values; iteration follows insertion order. */
public final class ObjectValue implements Value {

    static final int RANK = 5;
    public static final ObjectValue EMPTY = new ObjectValue(new LinkedHashMap<>());

    private final Map<Value, Value> entries;
    private volatile List<Value> sortedKeys;
    private int hash;

    private ObjectValue(LinkedHashMap<Value, Value> entries) {
        this.entries = entries;
    }

    public static ObjectValue of(Map<? extends Value, ? extends Value> entries) {
        return entries.isEmpty() ? EMPTY : new ObjectValue(new LinkedHashMap<>(entries));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The value at {@code key}, or null when absent. */
    public Value get(Value key) {
        return entries.get(key);
    }

    /** The value at a string key, or null when absent. */
    public Value get(String key) {
        return entries.get(StringValue.of(key));
    }

    public boolean containsKey(Value key) {
        return entries.containsKey(key);
    }

    public int size() {
        return entries.size();
    }

    public Set<Value> keySet() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public Set<Map.Entry<Value, Value>> entrySet() {
        return Collections.unmodifiableMap(entries).entrySet();
    }

    /** A read-only view of the entries. */
    public Map<Value, Value> asMap() {
        return Collections.unmodifiableMap(entries);
    }

    public List<Value> sortedKeys() {
        List<Value> s = sortedKeys;
        if (s == null) {
            List<Value> keys = new ArrayList<>(entries.keySet());
            Collections.sort(keys);
            s = Collections.unmodifiableList(keys);
            sortedKeys = s;
        }
        return s;
    }

    /** A copy with {@code key} set to {@code value}. */
    public ObjectValue with(Value key, Value value) {
        LinkedHashMap<Value, Value> copy = new LinkedHashMap<>(entries);
        copy.put(key, value);
        return new ObjectValue(copy);
    }

    @Override
    public int typeRank() {
        return RANK;
    }

    @Override
    public String typeName() {
        return "object";
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof ObjectValue x && x.hashCode() == hashCode() && x.entries.equals(entries));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = entries.hashCode() | 1;
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Value k : sortedKeys()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(k).append(": ").append(entries.get(k));
        }
        return sb.append('}').toString();
    }

    /** Collects entries; a later put of the same key replaces the earlier value. */
    public static final class Builder {
        private LinkedHashMap<Value, Value> entries = new LinkedHashMap<>();

        public Builder put(Value key, Value value) {
            entries.put(key, value);
            return this;
        }

        public Builder put(String key, Value value) {
            return put(StringValue.of(key), value);
        }

        public Value get(Value key) {
            return entries.get(key);
        }

        public int size() {
            return entries.size();
        }

        public ObjectValue build() {
            if (entries.isEmpty()) {
                return EMPTY;
            }
            ObjectValue o = new ObjectValue(entries);
            entries = new LinkedHashMap<>();
            return o;
        }
    }
}
