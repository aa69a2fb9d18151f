package dev.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse events}: registry push notifications. */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description = "Read registry push notifications (Amazon ECR EventBridge events, distribution webhook envelopes).",
        subcommands = {EventsParseCommand.class})
final class EventsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
