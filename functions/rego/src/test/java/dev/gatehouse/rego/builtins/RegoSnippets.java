package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.eval.EvalOptions;
import dev.gatehouse.rego.eval.Policy;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.Value;
import java.util.List;
import java.util.Map;

/** Evaluates a one-module policy in tests, with OPA's strict builtin errors. */
final class RegoSnippets {

    private RegoSnippets() {
    }

    /** The value of {@code data.t.<rule>}, or null when it is undefined. */
    static Value evalRule(String module, String rule) throws Exception {
        Policy policy = Policy.fromSources(Map.of("t.rego", module), ObjectValue.EMPTY, false);
        List<Policy.Solution> solutions = policy.query("x := data.t." + rule, null, EvalOptions.DEFAULT.strict(true), line -> { });
        return solutions.isEmpty() ? null : solutions.get(0).bindings().get("x");
    }
}
