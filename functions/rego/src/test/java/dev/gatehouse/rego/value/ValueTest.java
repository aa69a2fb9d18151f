package dev.gatehouse.rego.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueTest {

    @Test
    void numbersEqualByValueWhateverTheirNotation() {
        assertThat(NumberValue.parse("1.0")).isEqualTo(NumberValue.of(1));
        assertThat(NumberValue.parse("1e2").hashCode()).isEqualTo(NumberValue.of(100).hashCode());
        assertThat(NumberValue.parse("100").toString()).isEqualTo("100");
        assertThat(NumberValue.parse("18446744073709551617").toString()).isEqualTo("18446744073709551617");
    }

    @Test
    void typesSortInOpaOrder() {
        List<Value> values = new ArrayList<>(List.of(SetValue.EMPTY, ObjectValue.EMPTY, ArrayValue.EMPTY,
                StringValue.of("a"), NumberValue.of(1), BooleanValue.TRUE, NullValue.NULL));
        Collections.shuffle(values);
        Collections.sort(values);
        assertThat(values).extracting(Value::typeName)
                .containsExactly("null", "boolean", "number", "string", "array", "object", "set");
    }

    @Test
    void objectsCompareBySortedKeysThenValues() {
        Value a = ValueJson.parse("{\"a\": 1, \"b\": 2}");
        Value b = ValueJson.parse("{\"b\": 2, \"a\": 1}");
        Value c = ValueJson.parse("{\"a\": 1, \"c\": 0}");
        assertThat(a).isEqualTo(b);
        assertThat(a.compareTo(c)).isNegative();
    }

    @Test
    void setsPrintSortedAndBecomeSortedJsonArrays() {
        SetValue s = SetValue.of(Value.of("b"), Value.of(2), Value.of("a"));
        assertThat(s).hasToString("{2, \"a\", \"b\"}");
        assertThat(ValueJson.write(s)).isEqualTo("[2,\"a\",\"b\"]");
        assertThat(SetValue.EMPTY).hasToString("set()");
    }

    @Test
    void jsonRoundTripKeepsExactNumbers() {
        String json = "{\"big\":123456789012345678901234567890,\"f\":0.1,\"l\":[true,null,\"x\"]}";
        assertThat(ValueJson.write(ValueJson.parse(json))).isEqualTo(json);
    }
}
