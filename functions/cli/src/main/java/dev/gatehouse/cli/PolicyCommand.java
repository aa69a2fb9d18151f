package dev.gatehouse.cli;

import picocli.CommandLine.Command;

/** {@code gatehouse policy}: evaluate and test Rego policies and OPA bundles. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Evaluate and test Rego policies (OPA bundles).",
        subcommands = {PolicyEvalCommand.class, PolicyTestCommand.class})
final class PolicyCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
