package dev.gatehouse.rego.tester;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.rego.eval.EvalOptions;
import dev.gatehouse.rego.eval.Policy;
import dev.gatehouse.rego.value.ObjectValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegoTestRunnerTest {

    @Test
    void reportsPassFailErrorAndSkippedLikeOpaTest() throws Exception {
        Policy p = Policy.fromSources(Map.of("t.rego", """
                package t

                f(x) := x + 1

                test_pass if f(1) == 2

                test_fail if f(1) == 3

                test_error if {
                	print("checking")
                	x := 1
                	y := [2, 3][_]
                	z := {"a": 1, "a": y}
                	x == z
                }

                todo_test_later if false
                """), ObjectValue.EMPTY, false);
        List<RegoTestRunner.TestResult> results = RegoTestRunner.run(p, EvalOptions.DEFAULT);
        assertThat(results).extracting(RegoTestRunner.TestResult::name, RegoTestRunner.TestResult::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("data.t.test_pass", RegoTestRunner.Status.PASS),
                org.assertj.core.groups.Tuple.tuple("data.t.test_fail", RegoTestRunner.Status.FAIL),
                org.assertj.core.groups.Tuple.tuple("data.t.test_error", RegoTestRunner.Status.ERROR),
                org.assertj.core.groups.Tuple.tuple("data.t.todo_test_later", RegoTestRunner.Status.SKIPPED));
        String verbose = RegoTestRunner.report(results, true);
        assertThat(verbose).contains("data.t.test_pass: PASS (").contains("  checking").contains("PASS: 1/4").contains("FAIL: 1/4")
                .contains("ERROR: 1/4").contains("SKIPPED: 1/4");
        String quiet = RegoTestRunner.report(results, false);
        assertThat(quiet).startsWith("FAILURES");
        assertThat(quiet.substring(0, quiet.indexOf("SUMMARY"))).contains("test_fail: FAIL").doesNotContain("test_pass");
    }
}
