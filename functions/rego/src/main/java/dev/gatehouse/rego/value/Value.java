package dev.gatehouse.rego.value;

/**
 * An immutable Rego value. Equality and hashing follow Rego's: numbers compare by value
 * ({@code 1 == 1.0}), objects and sets ignore insertion order. {@link #compareTo} is OPA's total
 * order: null &lt; boolean &lt; number &lt; string &lt; array &lt; object &lt; set.
 */
public sealed interface Value extends Comparable<Value>
        permits NullValue, BooleanValue, NumberValue, StringValue, ArrayValue, ObjectValue, SetValue {

    /** Position of this value's type in OPA's sort order. */
    int typeRank();

    /** OPA's type name as returned by {@code type_name}: null, boolean, number, string, array, object, set. */
    String typeName();

    @Override
    default int compareTo(Value other) {
        return ValueOrder.compare(this, other);
    }

    /** This value in Rego term syntax (sets as {@code {1, 2}}, the empty set as {@code set()}). */
    @Override
    String toString();

    static Value of(String s) {
        return StringValue.of(s);
    }

    static Value of(long n) {
        return NumberValue.of(n);
    }

    static Value of(boolean b) {
        return BooleanValue.of(b);
    }
}
