package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatehouseCliTest {

    @Test
    void helpListsCommands() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: gatehouse").contains("Commands:");
    }

    @Test
    void everySubcommandHasHelp() {
        var cl = Gatehouse.newCommandLine();
        cl.getSubcommands().forEach((name, sub) -> {
            CliRun run = CliRun.of(name, "--help");
            assertThat(run.exitCode()).as(name + " --help").isZero();
            assertThat(run.out()).as(name + " --help").contains("Usage:");
        });
    }

    @Test
    void unknownOptionIsOneLineErrorWithExitTwo() {
        CliRun run = CliRun.of("--no-such-option");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).startsWith("gatehouse: Unknown option");
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
