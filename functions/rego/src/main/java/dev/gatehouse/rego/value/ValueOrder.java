package dev.gatehouse.rego.value;

import java.util.List;

/** OPA's total order over values (ast.Compare). */
final class ValueOrder {

    private ValueOrder() {
    }

    static int compare(Value a, Value b) {
        if (a == b) {
            return 0;
        }
        int ra = a.typeRank();
        int rb = b.typeRank();
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (ra) {
            case NullValue.RANK -> 0;
            case BooleanValue.RANK -> Boolean.compare(((BooleanValue) a).value(), ((BooleanValue) b).value());
            case NumberValue.RANK -> ((NumberValue) a).decimal().compareTo(((NumberValue) b).decimal());
            case StringValue.RANK -> compareStrings(((StringValue) a).value(), ((StringValue) b).value());
            case ArrayValue.RANK -> compareLists(((ArrayValue) a).elements(), ((ArrayValue) b).elements());
            case ObjectValue.RANK -> compareObjects((ObjectValue) a, (ObjectValue) b);
            default -> compareLists(((SetValue) a).sorted(), ((SetValue) b).sorted());
        };
    }

    /** Go compares strings byte-wise in UTF-8, which is code point order. */
    static int compareStrings(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                if (Character.isSurrogate(ca) || Character.isSurrogate(cb)) {
                    return Integer.compare(a.codePointAt(i), b.codePointAt(i));
                }
                return Character.compare(ca, cb);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    private static int compareLists(List<Value> a, List<Value> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareObjects(ObjectValue a, ObjectValue b) {
        List<Value> ka = a.sortedKeys();
        List<Value> kb = b.sortedKeys();
        int n = Math.min(ka.size(), kb.size());
        for (int i = 0; i < n; i++) {
            int c = compare(ka.get(i), kb.get(i));
            if (c != 0) {
                return c;
            }
            c = compare(a.get(ka.get(i)), b.get(kb.get(i)));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(ka.size(), kb.size());
    }
}
