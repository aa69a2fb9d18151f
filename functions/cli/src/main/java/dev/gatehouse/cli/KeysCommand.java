package dev.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse keys}: the keys Gatehouse signs with. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "The keys Gatehouse signs verification summaries, rebuilt images and reports with.",
        subcommands = {KeysExportCommand.class})
final class KeysCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
