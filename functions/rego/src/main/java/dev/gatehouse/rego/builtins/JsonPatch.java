package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.List;

/** RFC 6902 JSON Patch over Rego values (objects, arrays and sets), as OPA's json.patch applies it. */
final class JsonPatch {

    /** A patch that cannot apply; json.patch is then undefined. */
    static final class PatchException extends Exception {
        PatchException(String message) {
            super(message, null, false, false);
        }
    }

    private JsonPatch() {
    }

    static Value apply(Value doc, ArrayValue operations) throws PatchException, BuiltinException {
        for (Value op : operations.elements()) {
            if (!(op instanceof ObjectValue o)) {
                throw new PatchException("must be an array of JSON-Patch objects, but at least one element is not an object");
            }
            String name = attribute(o, "op") instanceof StringValue s ? s.value() : null;
            if (name == null) {
                throw new PatchException("attribute 'op' must be a string");
            }
            List<Value> path = JsonBuiltins.parsePath(attribute(o, "path"));
            switch (name) {
                case "add" -> doc = insert(doc, path, 0, attribute(o, "value"));
                case "remove" -> doc = delete(doc, path, 0);
                case "replace" -> doc = insert(delete(doc, path, 0), path, 0, attribute(o, "value"));
                case "move" -> {
                    List<Value> from = JsonBuiltins.parsePath(attribute(o, "from"));
                    Value chunk = get(doc, from);
                    doc = insert(delete(doc, from, 0), path, 0, chunk);
                }
                case "copy" -> {
                    List<Value> from = JsonBuiltins.parsePath(attribute(o, "from"));
                    doc = insert(doc, path, 0, get(doc, from));
                }
                case "test" -> {
                    if (!get(doc, path).equals(attribute(o, "value"))) {
                        throw new PatchException("test failed");
                    }
                }
                default -> throw new PatchException("unrecognized op '" + name + "'");
            }
        }
        return doc;
    }

    private static Value attribute(ObjectValue o, String name) throws PatchException {
        Value v = o.get(name);
        if (v == null) {
            throw new PatchException("missing '" + name + "' attribute");
        }
        return v;
    }

    private static Value get(Value doc, List<Value> path) throws PatchException {
        Value v = doc;
        for (Value seg : path) {
            v = child(v, seg);
        }
        return v;
    }

    private static Value child(Value v, Value seg) throws PatchException {
        Value out = null;
        if (v instanceof ObjectValue o) {
            out = o.get(seg);
        } else if (v instanceof ArrayValue arr) {
            int i = index(seg, arr.size(), false);
            out = arr.get(i);
        } else if (v instanceof SetValue s && s.contains(seg)) {
            out = seg;
        }
        if (out == null) {
            throw new PatchException("path not found");
        }
        return out;
    }

    private static int index(Value seg, int size, boolean forInsert) throws PatchException {
        long i;
        if (seg instanceof StringValue s) {
            if (forInsert && s.value().equals("-")) {
                return size;
            }
            if (!s.value().matches("0|[1-9][0-9]{0,9}")) {
                throw new PatchException("invalid array index");
            }
            i = Long.parseLong(s.value());
        } else if (seg instanceof NumberValue n && n.intValueExact() != null) {
            i = n.intValueExact();
        } else {
            throw new PatchException("invalid array index");
        }
        if (i < 0 || i > size || (!forInsert && i == size)) {
            throw new PatchException("index out of range");
        }
        return (int) i;
    }

    private static Value insert(Value doc, List<Value> path, int at, Value value) throws PatchException {
        if (at == path.size()) {
            return value;
        }
        Value seg = path.get(at);
        boolean last = at == path.size() - 1;
        if (doc instanceof ObjectValue o) {
            if (last) {
                return o.with(seg, value);
            }
            return o.with(seg, insert(child(o, seg), path, at + 1, value));
        }
        if (doc instanceof ArrayValue arr) {
            List<Value> out = new ArrayList<>(arr.elements());
            if (last) {
                out.add(index(seg, arr.size(), true), value);
            } else {
                int i = index(seg, arr.size(), false);
                out.set(i, insert(arr.get(i), path, at + 1, value));
            }
            return ArrayValue.of(out);
        }
        if (doc instanceof SetValue s) {
            SetValue.Builder b = SetValue.builder();
            if (last) {
                s.elements().forEach(b::add);
                b.add(value);
                return b.build();
            }
            Value inner = child(s, seg);
            for (Value e : s.elements()) {
                b.add(e.equals(inner) ? insert(inner, path, at + 1, value) : e);
            }
            return b.build();
        }
        throw new PatchException("cannot insert into a scalar");
    }

    private static Value delete(Value doc, List<Value> path, int at) throws PatchException {
        if (path.isEmpty()) {
            throw new PatchException("cannot delete the root");
        }
        Value seg = path.get(at);
        boolean last = at == path.size() - 1;
        if (doc instanceof ObjectValue o) {
            Value existing = child(o, seg);
            ObjectValue.Builder b = ObjectValue.builder();
            for (var e : o.entrySet()) {
                if (!e.getKey().equals(seg)) {
                    b.put(e.getKey(), e.getValue());
                } else if (!last) {
                    b.put(e.getKey(), delete(existing, path, at + 1));
                }
            }
            return b.build();
        }
        if (doc instanceof ArrayValue arr) {
            int i = index(seg, arr.size(), false);
            List<Value> out = new ArrayList<>(arr.elements());
            if (last) {
                out.remove(i);
            } else {
                out.set(i, delete(arr.get(i), path, at + 1));
            }
            return ArrayValue.of(out);
        }
        if (doc instanceof SetValue s) {
            Value inner = child(s, seg);
            SetValue.Builder b = SetValue.builder();
            for (Value e : s.elements()) {
                if (!e.equals(inner)) {
                    b.add(e);
                } else if (!last) {
                    b.add(delete(inner, path, at + 1));
                }
            }
            return b.build();
        }
        throw new PatchException("cannot delete from a scalar");
    }
}
