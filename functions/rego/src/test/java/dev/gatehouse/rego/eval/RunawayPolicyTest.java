package dev.gatehouse.rego.eval;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.parser.RegoParser;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.ValueJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Policies that would loop, recurse or nest without end stop at the evaluation limits with a named error. */
class RunawayPolicyTest {

    private static Policy policy(String src) throws Exception {
        return Policy.fromSources(Map.of("p.rego", src), ObjectValue.EMPTY, false);
    }

    private static final String CUBE = """
            package runaway

            cube := count([1 | some a in input.xs; some b in input.xs; some c in input.xs])
            """;

    private static String inputOf(int n) {
        return "{\"xs\": [" + "0,".repeat(n - 1) + "0]}";
    }

    @Test
    void cubicIterationStopsAtTheStepLimit() throws Exception {
        Policy p = policy(CUBE);
        EvalOptions options = new EvalOptions(1_000_000, 0, 150, false);
        assertThatThrownBy(() -> p.query("x := data.runaway.cube", ValueJson.parse(inputOf(1000)), options, line -> { }))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("eval_cancel_error")
                .hasMessageContaining("evaluation exceeded 1000000 steps");
    }

    @Test
    void cubicIterationStopsAtTheDeadline() throws Exception {
        Policy p = policy(CUBE);
        EvalOptions options = new EvalOptions(Long.MAX_VALUE, 200, 150, false);
        assertThatThrownBy(() -> p.query("x := data.runaway.cube", ValueJson.parse(inputOf(2000)), options, line -> { }))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("evaluation exceeded 200 ms");
    }

    @Test
    void recursiveRulesAndFunctionsFailAsRecursionErrors() throws Exception {
        Policy function = policy("""
                package runaway

                f(x) := y if { y := f(x + 1) }
                loop := f(0)
                """);
        assertThatThrownBy(() -> function.query("x := data.runaway.loop", null, EvalOptions.DEFAULT, line -> { }))
                .isInstanceOf(RegoException.class).hasMessageContaining("rego_recursion_error");
        Policy rules = policy("""
                package runaway

                a if b
                b if a
                """);
        assertThatThrownBy(() -> rules.query("x := data.runaway.a", null, EvalOptions.DEFAULT, line -> { }))
                .isInstanceOf(RegoException.class).hasMessageContaining("rego_recursion_error");
    }

    @Test
    void deepWalkOfHostileInputIsBounded() throws Exception {
        Policy p = policy("""
                package runaway

                leaves := count([v | walk(input, [_, v]); not is_object(v)])
                """);
        String deep = "{\"a\":".repeat(ValueJson.MAX_DEPTH - 1) + "1" + "}".repeat(ValueJson.MAX_DEPTH - 1);
        var input = ValueJson.parse(deep);
        org.assertj.core.api.Assertions.assertThat(p.query("x := data.runaway.leaves", input, EvalOptions.DEFAULT, line -> { })).hasSize(1);
    }

    @Test
    void aBuiltinThatFailsUnexpectedlyStopsTheEvaluationInsteadOfLeavingADenyRuleUndefined() throws Exception {
        BuiltinRegistry builtins = BuiltinRegistry.standard().register("test.broken", 1, (args, context) -> {
            throw new IllegalStateException("a bug");
        });
        Policy p = Policy.compile(List.of(RegoParser.parseModule("p.rego", """
                package gate

                deny contains "broken" if test.broken(input.x)
                """, false)), ObjectValue.EMPTY, builtins);
        assertThatThrownBy(() -> p.query("x := data.gate.deny", ValueJson.parse("{\"x\": 1}"), EvalOptions.DEFAULT, line -> { }))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("eval_internal_error")
                .hasMessageContaining("test.broken: internal error (IllegalStateException)");
    }
}
