package dev.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatehouse} command line: every capability of the core engine, offline-first. */
@Command(
        name = "gatehouse",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Supply-chain gate for container images: signatures, provenance, SBOMs, VEX and Rego policy.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            VerifyCommand.class,
            ServeCommand.class,
            EventsCommand.class,
            RebuildCommand.class,
            OciCommand.class,
            PolicyCommand.class,
            RegoCommand.class,
            SbomCommand.class,
            SlaCommand.class,
            ScanCommand.class,
            VerifyProvenanceCommand.class,
            VexCommand.class,
            VerifyBundleCommand.class,
            VerifySignatureCommand.class,
            VerifyVsaCommand.class,
            VerifyReportCommand.class,
            KeysCommand.class,
        })
public final class Gatehouse implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI in-process and returns the exit code (used by tests). */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Gatehouse());
        cl.setExecutionExceptionHandler(new OneLineErrors());
        cl.setParameterExceptionHandler(new OneLineErrors());
        return cl;
    }
}
