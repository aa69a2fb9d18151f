package dev.gatehouse.cli;

import dev.gatehouse.rego.bundle.BundleVerification;
import dev.gatehouse.rego.eval.EvalOptions;
import dev.gatehouse.rego.eval.Policy;
import dev.gatehouse.rego.tester.RegoTestRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse policy test}: runs {@code test_} rules like {@code opa test}. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run Rego unit tests (rules named test_*) like 'opa test'. Exit 0 when all pass, 1 otherwise.")
final class PolicyTestCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Directories or files with .rego and data files.")
    List<Path> paths;

    @Option(names = {"-v", "--verbose"}, description = "Print every test, not only failures.")
    boolean verbose;

    @Option(names = "--v0-compatible", description = "Parse policies with Rego v0 syntax.")
    boolean v0;

    @Option(names = "--timeout-ms", description = "Time budget per test (default ${DEFAULT-VALUE}).", defaultValue = "10000")
    long timeoutMs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Policy policy = PolicyEvalCommand.PolicyLoading.load(List.of(), paths, v0, BundleVerification.NONE);
        EvalOptions options = new EvalOptions(EvalOptions.DEFAULT.maxSteps(), timeoutMs, EvalOptions.DEFAULT.maxDepth(), false);
        List<RegoTestRunner.TestResult> results = RegoTestRunner.run(policy, options);
        spec.commandLine().getOut().print(RegoTestRunner.report(results, verbose));
        spec.commandLine().getOut().flush();
        boolean ok = results.stream().allMatch(r -> r.status() == RegoTestRunner.Status.PASS || r.status() == RegoTestRunner.Status.SKIPPED);
        return ok && !results.isEmpty() ? 0 : 1;
    }
}
