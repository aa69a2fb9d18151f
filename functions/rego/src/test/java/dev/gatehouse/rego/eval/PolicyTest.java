package dev.gatehouse.rego.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.rego.parser.RegoParseException;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTest {

    private static Policy policy(String src) throws RegoParseException {
        return Policy.fromSources(Map.of("p.rego", src), ObjectValue.EMPTY, false);
    }

    private static String eval(Policy p, String query, String inputJson) throws RegoParseException {
        Value input = inputJson == null ? null : ValueJson.parse(inputJson);
        List<String> out = new ArrayList<>();
        for (Policy.Solution s : p.query(query, input, EvalOptions.DEFAULT, line -> { })) {
            out.add(ValueJson.write(ObjectValue.of(toValues(s.bindings()))));
        }
        return String.join(";", out);
    }

    private static Map<Value, Value> toValues(Map<String, Value> m) {
        Map<Value, Value> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(Value.of(k), v));
        return out;
    }

    @Test
    void callArgumentsMayEndWithATrailingCommaAsInOpa() throws Exception {
        Policy p = policy("""
                package t

                f(a, b) := a + b

                p := x if {
                	x := f(
                		1,
                		2,
                	)
                }

                q := count([1, 2],)
                """);
        assertThat(eval(p, "x := data.t.p; y := data.t.q", null)).isEqualTo("{\"x\":3,\"y\":2}");
        assertThatThrownBy(() -> policy("package t\np := count(,)\n")).isInstanceOf(RegoParseException.class);
    }

    @Test
    void allowDenyPolicyDistinguishesUndefinedFromFalse() throws Exception {
        Policy p = policy("""
                package authz

                default allow := false

                allow if {
                	input.user == "admin"
                }

                deny contains msg if {
                	some f in input.findings
                	f.severity == "CRITICAL"
                	msg := concat(": ", ["critical", f.id])
                }

                maybe if input.flag
                """);
        assertThat(eval(p, "x := data.authz.allow", "{\"user\":\"admin\"}")).isEqualTo("{\"x\":true}");
        assertThat(eval(p, "x := data.authz.allow", "{\"user\":\"bob\"}")).isEqualTo("{\"x\":false}");
        assertThat(eval(p, "x := data.authz.maybe", "{}")).isEmpty();
        assertThat(eval(p, "x := data.authz.deny", "{\"findings\":[{\"id\":\"CVE-1\",\"severity\":\"CRITICAL\"},{\"id\":\"CVE-2\",\"severity\":\"LOW\"}]}"))
                .isEqualTo("{\"x\":[\"critical: CVE-1\"]}");
    }

    @Test
    void completeRulesWithDifferentValuesConflict() throws Exception {
        Policy p = policy("""
                package x

                p := 1
                p := 2
                """);
        assertThatThrownBy(() -> eval(p, "y := data.x.p", null))
                .isInstanceOfSatisfying(RegoException.class, e -> {
                    assertThat(e.code()).isEqualTo("eval_conflict_error");
                    assertThat(e.getMessage()).matches("p\\.rego:\\d+: eval_conflict_error: rule data.x.p produced conflicting values");
                });
    }

    @Test
    void partialObjectsFunctionsElseAndComprehensions() throws Exception {
        Policy p = policy("""
                package x

                names[id] := n if {
                	some id, c in input.components
                	n := c.name
                }

                grade(s) := "high" if s >= 7
                else := "low"

                grades := [grade(s) | some s in input.scores]

                everyone_ok if every c in input.components { c.name != "" }
                """);
        String in = "{\"components\":{\"a\":{\"name\":\"lib\"},\"b\":{\"name\":\"app\"}},\"scores\":[9,1]}";
        assertThat(eval(p, "x := data.x.names", in)).isEqualTo("{\"x\":{\"a\":\"lib\",\"b\":\"app\"}}");
        assertThat(eval(p, "x := data.x.grades", in)).isEqualTo("{\"x\":[\"high\",\"low\"]}");
        assertThat(eval(p, "x := data.x.everyone_ok", in)).isEqualTo("{\"x\":true}");
    }

    @Test
    void withReplacesInputAndFunctions() throws Exception {
        Policy p = policy("""
                package x

                f(v) := v * 2

                p := f(input.n)

                q := r if r := p with input.n as 10

                m := r if r := p with f as g

                g(v) := v + 1
                """);
        assertThat(eval(p, "x := data.x.q", "{\"n\":1}")).isEqualTo("{\"x\":20}");
        assertThat(eval(p, "x := data.x.m", "{\"n\":1}")).isEqualTo("{\"x\":2}");
        assertThat(eval(p, "x := data.x.p", "{\"n\":1}")).isEqualTo("{\"x\":2}");
    }

    @Test
    void bodiesAreReorderedSoVariablesAreBoundBeforeUse() throws Exception {
        Policy p = policy("""
                package x

                p if {
                	x > 1
                	x = 5
                }
                """);
        assertThat(eval(p, "y := data.x.p", null)).isEqualTo("{\"y\":true}");
    }

    @Test
    void malformedPolicyReportsFileLineAndColumn() {
        assertThatThrownBy(() -> policy("package x\n\np if {\n\tx := [1, 2\n}\n"))
                .isInstanceOf(RegoParseException.class)
                .hasMessageStartingWith("p.rego:5:1: rego_parse_error:");
    }

    @Test
    void variablesNothingCanBindAreRejectedAtCompileTime() {
        assertThatThrownBy(() -> policy("package x\n\np if {\n\tcount(y) > 1\n}\n"))
                .isInstanceOfSatisfying(RegoException.class, e -> {
                    assertThat(e.code()).isEqualTo("rego_unsafe_var_error");
                    assertThat(e.getMessage()).isEqualTo("p.rego:3:1: rego_unsafe_var_error: var y is unsafe");
                });
    }

    @Test
    void assigningTheSameVariableTwiceIsACompileError() {
        assertThatThrownBy(() -> policy("package x\n\np if {\n\tx := 1\n\tx := 2\n}\n"))
                .hasMessage("p.rego:5:2: rego_compile_error: var x assigned above");
    }

    @Test
    void recursiveFunctionsAreReportedAsRecursion() throws Exception {
        Policy p = policy("""
                package x

                f(n) := f(n + 1)

                p := f(0)
                """);
        assertThatThrownBy(() -> eval(p, "y := data.x.p", null))
                .isInstanceOfSatisfying(RegoException.class, e -> assertThat(e.getMessage()).contains("rego_recursion_error: rule data.x.f is recursive"));
    }

    @Test
    void deepRuleChainsAreBoundedByDepth() throws Exception {
        StringBuilder src = new StringBuilder("package x\n\n");
        for (int i = 0; i < 600; i++) {
            src.append("p").append(i).append(" := p").append(i + 1).append("\n\n");
        }
        src.append("p600 := 1\n");
        Policy p = policy(src.toString());
        assertThatThrownBy(() -> eval(p, "y := data.x.p0", null))
                .isInstanceOfSatisfying(RegoException.class, e -> assertThat(e.getMessage()).contains("eval_cancel_error: evaluation exceeded depth"));
    }

    @Test
    void runawayIterationIsBoundedBySteps() throws Exception {
        Policy p = policy("""
                package x

                p := count([1 | some a in numbers; some b in numbers; some c in numbers])

                numbers := [n | some n in input]
                """);
        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            big.append(i == 0 ? "" : ",").append(i);
        }
        Value input = ValueJson.parse(big.append("]").toString());
        EvalOptions tight = new EvalOptions(100_000, 10_000, 100, false);
        assertThatThrownBy(() -> p.query("y := data.x.p", input, tight, s -> { }))
                .isInstanceOfSatisfying(RegoException.class, e -> assertThat(e.getMessage()).contains("exceeded 100000 steps"));
    }

    @Test
    void gatekeeperStyleV0TemplateReportsViolations() throws Exception {
        Policy p = Policy.fromSources(Map.of("template.rego", """
                package k8srequiredlabels

                import future.keywords.in

                violation[{"msg": msg, "details": {"missing_labels": missing}}] {
                  provided := {label | input.review.object.metadata.labels[label]}
                  required := {label | label := input.parameters.labels[_]}
                  missing := required - provided
                  count(missing) > 0
                  msg := concat(" ", ["you must provide labels:", concat(",", missing)])
                }

                violation[{"msg": "privileged"}] {
                  some c in input.review.object.spec.containers
                  c.securityContext.privileged
                }

                level = "strict" { input.parameters.strict } else = "lenient" { true }
                """), ObjectValue.EMPTY, true);
        String review = "{\"review\":{\"object\":{\"metadata\":{\"labels\":{\"app\":\"x\"}},"
                + "\"spec\":{\"containers\":[{\"securityContext\":{\"privileged\":true}}]}}},"
                + "\"parameters\":{\"labels\":[\"app\",\"owner\",\"team\"]}}";
        assertThat(eval(p, "v := data.k8srequiredlabels.violation", review)).isEqualTo(
                "{\"v\":[{\"details\":{\"missing_labels\":[\"owner\",\"team\"]},\"msg\":\"you must provide labels: owner,team\"},"
                        + "{\"msg\":\"privileged\"}]}");
        assertThat(eval(p, "l := data.k8srequiredlabels.level", review)).isEqualTo("{\"l\":\"lenient\"}");
    }

    @Test
    void v0ModulesParseWhenRequested() throws Exception {
        Policy p = Policy.fromSources(Map.of("t.rego", """
                package k8s

                violation[{"msg": msg}] {
                	c := input.review.object.spec.containers[_]
                	not startswith_ok(c.image)
                	msg := c.image
                }

                startswith_ok(img) {
                	img == "ok"
                }
                """), ObjectValue.EMPTY, true);
        assertThat(eval(p, "x := data.k8s.violation", "{\"review\":{\"object\":{\"spec\":{\"containers\":[{\"image\":\"bad\"},{\"image\":\"ok\"}]}}}}"))
                .isEqualTo("{\"x\":[{\"msg\":\"bad\"}]}");
    }
}
