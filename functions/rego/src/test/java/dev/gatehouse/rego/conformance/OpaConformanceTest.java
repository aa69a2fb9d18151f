package dev.gatehouse.rego.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.eval.EvalOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs OPA's own conformance cases from ../shared/oracles/opa-conformance. */
class OpaConformanceTest {

    @Test
    void opaConformanceCasesPass() throws Exception {
        String oracles = System.getProperty("gatehouse.oracles", "../../../shared/oracles");
        Path dir = Path.of(oracles, "opa-conformance");
        assumeTrue(Files.isDirectory(dir), "OPA conformance oracle not present at " + dir + "; skipping");
        ConformanceRunner runner = new ConformanceRunner(BuiltinRegistry.standard(), EvalOptions.DEFAULT);
        int pass = 0;
        List<String> failed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path f : ConformanceRunner.collect(List.of(dir))) {
            for (ConformanceCase c : runner.runFile(f)) {
                String line = dir.relativize(Path.of(c.file())) + " [" + c.note() + "]: " + c.reason();
                switch (c.status()) {
                    case PASS -> pass++;
                    case SKIP -> skipped.add(line);
                    case FAIL -> failed.add(line);
                }
            }
        }
        skipped.forEach(s -> System.out.println("SKIPPED " + s));
        failed.forEach(s -> System.out.println("FAILED " + s));
        int total = pass + failed.size() + skipped.size();
        System.out.printf("OPA conformance: %d passed, %d failed, %d skipped (of %d)%n", pass, failed.size(), skipped.size(), total);
        int run = pass + failed.size();
        assertThat(run).isPositive();
        assertThat((double) pass / run).as("pass rate of the cases whose builtins are registered; failures: %s", failed)
                .isGreaterThanOrEqualTo(0.95);
    }
}
