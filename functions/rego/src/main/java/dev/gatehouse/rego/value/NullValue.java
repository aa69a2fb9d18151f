package dev.gatehouse.rego.value;

/** Rego's {@code null}. */
public final class NullValue implements Value {

    static final int RANK = 0;
    public static final NullValue NULL = new NullValue();

    private NullValue() {
    }

    @Override
    public int typeRank() {
        return RANK;
    }

    @Override
    public String typeName() {
        return "null";
    }

    @Override
    public String toString() {
        return "null";
    }
}
