package dev.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse rebuild}: rebuild images whose base changed. */
@Command(
        name = "rebuild",
        mixinStandardHelpOptions = true,
        description = "Plan and run rebuilds of the images built on a base whose tag moved (docs/rebuilds.md).",
        subcommands = {RebuildPlanCommand.class, RebuildRunCommand.class})
final class RebuildCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
