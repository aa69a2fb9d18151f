package dev.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse sla}: the remediation SLA ledger. */
@Command(
        name = "sla",
        mixinStandardHelpOptions = true,
        description = "Remediation SLA: open breaches, time to fix and end of life from the finding ledger.",
        subcommands = {SlaReportCommand.class})
final class SlaCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
