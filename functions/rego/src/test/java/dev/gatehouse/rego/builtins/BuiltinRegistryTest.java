package dev.gatehouse.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.Value;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltinRegistryTest {

    private static final BuiltinContext CONTEXT = new BuiltinContext() {
        private final Map<Object, Object> cache = new HashMap<>();

        @Override
        public long nowNanos() {
            return 0;
        }

        @Override
        public void print(String line) {
        }

        @Override
        public void charge(long steps) {
        }

        @Override
        public Map<Object, Object> queryCache() {
            return cache;
        }
    };

    private final BuiltinRegistry registry = BuiltinRegistry.standard();

    private Value call(String name, Value... args) throws BuiltinException {
        return registry.lookup(name).function().apply(args, CONTEXT);
    }

    @Test
    void countRejectsNumbersWithOpasOperandMessage() {
        assertThatThrownBy(() -> call("count", Value.of(1)))
                .isInstanceOfSatisfying(BuiltinException.class, e -> {
                    assertThat(e.code()).isEqualTo(BuiltinException.Code.TYPE);
                    assertThat(e.getMessage()).isEqualTo("operand 1 must be one of {array, object, set, string} but got number");
                });
    }

    @Test
    void arithmeticIsExact() throws Exception {
        assertThat(call("plus", NumberValue.parse("0.1"), NumberValue.parse("0.2"))).isEqualTo(NumberValue.parse("0.3"));
        assertThat(call("div", Value.of(6), Value.of(4))).isEqualTo(NumberValue.parse("1.5"));
        assertThatThrownBy(() -> call("div", Value.of(1), Value.of(0))).hasMessage("divide by zero");
        assertThatThrownBy(() -> call("minus", SetValue.of(Value.of(1)), Value.of(1)))
                .hasMessage("operand 2 must be set but got number");
    }

    @Test
    void concatJoinsArraysOfStrings() throws Exception {
        assertThat(call("concat", Value.of(","), ArrayValue.of(Value.of("a"), Value.of("b")))).isEqualTo(Value.of("a,b"));
    }

    @Test
    void networkBuiltinsSayTheyAreUnsupported() {
        assertThatThrownBy(() -> call("http.send", Value.of(1))).hasMessageContaining("not supported");
    }
}
