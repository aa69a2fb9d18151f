package dev.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse vex}: VEX documents applied to scanner reports. */
@Command(
        name = "vex",
        mixinStandardHelpOptions = true,
        description = "Apply VEX documents (OpenVEX, CycloneDX VEX, CSAF VEX) to scanner reports.",
        subcommands = {VexFilterCommand.class})
public final class VexCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
