package dev.gatehouse.cli;

import dev.gatehouse.rego.bench.RegoBenchmark;
import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.conformance.ConformanceCase;
import dev.gatehouse.rego.conformance.ConformanceRunner;
import dev.gatehouse.rego.eval.EvalOptions;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse rego}: tools for the Rego engine itself. */
@Command(name = "rego", mixinStandardHelpOptions = true, description = "Rego engine tools: OPA conformance cases, benchmark.",
        subcommands = {RegoCommand.Conformance.class, RegoCommand.Bench.class})
final class RegoCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "conformance", mixinStandardHelpOptions = true,
            description = "Run OPA's YAML conformance test cases; ends with 'N passed, M failed'. Exit 0 when none fails.")
    static final class Conformance implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "YAML files or directories.")
        List<Path> paths;

        @Option(names = {"-v", "--verbose"}, description = "Also list passing cases.")
        boolean verbose;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ConformanceRunner runner = new ConformanceRunner(BuiltinRegistry.standard(), EvalOptions.DEFAULT);
            int pass = 0;
            int fail = 0;
            for (Path f : ConformanceRunner.collect(paths)) {
                for (ConformanceCase c : runner.runFile(f)) {
                    if (c.status() == ConformanceCase.Status.PASS) {
                        pass++;
                        if (verbose) {
                            out.println("PASS " + c.file() + " [" + c.note() + "]");
                        }
                    } else {
                        fail++;
                        out.println(c.status() + " " + c.file() + " [" + c.note() + "]: " + c.reason());
                    }
                }
            }
            out.println(pass + " passed, " + fail + " failed");
            out.flush();
            return fail == 0 ? 0 : 1;
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Print evaluations per second for a small allow/deny policy and for 2,000 findings x 5,000 SBOM components.")
    static final class Bench implements Callable<Integer> {

        @Option(names = "--seconds", description = "Measuring time per policy (default ${DEFAULT-VALUE}).", defaultValue = "2")
        double seconds;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            RegoBenchmark.run(new PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8), seconds);
            w.print(buf.toString(java.nio.charset.StandardCharsets.UTF_8));
            w.flush();
            return 0;
        }
    }
}
