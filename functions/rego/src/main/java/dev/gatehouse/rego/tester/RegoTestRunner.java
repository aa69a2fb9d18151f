package dev.gatehouse.rego.tester;

import dev.gatehouse.rego.ast.Module;
import dev.gatehouse.rego.ast.Rule;
import dev.gatehouse.rego.eval.EvalOptions;
import dev.gatehouse.rego.eval.Policy;
import dev.gatehouse.rego.eval.RegoException;
import dev.gatehouse.rego.parser.RegoParseException;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.RegoText;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs {@code test_} rules like {@code opa test}: each is PASS (true), FAIL (undefined or false) or ERROR. */
public final class RegoTestRunner {

    public enum Status { PASS, FAIL, ERROR, SKIPPED }

    /** One test's outcome; {@code output} holds what it printed. */
    public record TestResult(String name, String file, Status status, String error, long nanos, List<String> output) {
    }

    private RegoTestRunner() {
    }

    public static List<TestResult> run(Policy policy, EvalOptions options) {
        Map<String, String[]> tests = new LinkedHashMap<>();
        for (Module m : policy.modules()) {
            for (Rule r : m.rules()) {
                String name = r.name();
                if (r.isFunction() || r.isDefault() || r.head().size() != 1
                        || !(name.startsWith("test_") || name.startsWith("todo_test_"))) {
                    continue;
                }
                tests.putIfAbsent("data." + String.join(".", m.pkg()) + "." + name, new String[] {m.file(), query(m.pkg(), name)});
            }
        }
        List<TestResult> results = new ArrayList<>();
        for (Map.Entry<String, String[]> t : tests.entrySet()) {
            String name = t.getKey();
            String file = t.getValue()[0];
            if (name.substring(name.lastIndexOf('.') + 1).startsWith("todo_")) {
                results.add(new TestResult(name, file, Status.SKIPPED, null, 0, List.of()));
                continue;
            }
            List<String> output = new ArrayList<>();
            long start = System.nanoTime();
            Status status;
            String error = null;
            try {
                List<Policy.Solution> s = policy.query(t.getValue()[1], null, options, output::add);
                Value v = s.isEmpty() ? null : s.get(0).bindings().get("x");
                status = v != null && v != BooleanValue.FALSE ? Status.PASS : Status.FAIL;
            } catch (RegoException | RegoParseException e) {
                status = Status.ERROR;
                error = e.getMessage();
            }
            results.add(new TestResult(name, file, status, error, System.nanoTime() - start, output));
        }
        return results;
    }

    private static String query(List<String> pkg, String rule) {
        StringBuilder sb = new StringBuilder("x := data");
        for (String p : pkg) {
            sb.append('[').append(RegoText.quote(p)).append(']');
        }
        return sb.append('[').append(RegoText.quote(rule)).append(']').toString();
    }

    /** The report {@code opa test} prints: failures (or every test with {@code verbose}) and the counts. */
    public static String report(List<TestResult> results, boolean verbose) {
        String rule = "-".repeat(80);
        StringBuilder sb = new StringBuilder();
        int pass = 0;
        int fail = 0;
        int error = 0;
        int skipped = 0;
        for (TestResult r : results) {
            switch (r.status()) {
                case PASS -> pass++;
                case FAIL -> fail++;
                case ERROR -> error++;
                case SKIPPED -> skipped++;
            }
        }
        if (verbose) {
            String file = null;
            for (TestResult r : results) {
                if (!r.file().equals(file)) {
                    if (file != null) {
                        sb.append('\n');
                    }
                    file = r.file();
                    sb.append(file).append(":\n");
                }
                line(sb, r);
                for (String o : r.output()) {
                    sb.append("\n  ").append(o);
                }
                if (!r.output().isEmpty()) {
                    sb.append("\n\n");
                }
            }
            sb.append(rule).append('\n');
        } else if (fail + error > 0) {
            sb.append("FAILURES\n").append(rule).append('\n');
            for (TestResult r : results) {
                if (r.status() == Status.FAIL || r.status() == Status.ERROR) {
                    line(sb, r);
                    for (String o : r.output()) {
                        sb.append("\n  ").append(o);
                    }
                    sb.append('\n');
                }
            }
            sb.append("SUMMARY\n").append(rule).append('\n');
            for (TestResult r : results) {
                line(sb, r);
            }
            sb.append(rule).append('\n');
        }
        int total = results.size();
        if (pass > 0) {
            sb.append("PASS: ").append(pass).append('/').append(total).append('\n');
        }
        if (fail > 0) {
            sb.append("FAIL: ").append(fail).append('/').append(total).append('\n');
        }
        if (skipped > 0) {
            sb.append("SKIPPED: ").append(skipped).append('/').append(total).append('\n');
        }
        if (error > 0) {
            sb.append("ERROR: ").append(error).append('/').append(total).append('\n');
        }
        if (total == 0) {
            sb.append("no tests found\n");
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, TestResult r) {
        sb.append(r.name()).append(": ").append(r.status());
        if (r.status() != Status.SKIPPED) {
            sb.append(" (").append(duration(r.nanos())).append(')');
        }
        if (r.error() != null) {
            sb.append("\n  ").append(r.error());
        }
        sb.append('\n');
    }

    private static String duration(long nanos) {
        if (nanos < 1_000_000) {
            return (nanos / 1000) + "µs";
        }
        return String.format(java.util.Locale.ROOT, "%.3fms", nanos / 1e6);
    }
}
