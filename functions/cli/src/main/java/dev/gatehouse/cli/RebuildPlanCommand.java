package dev.gatehouse.cli;

import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.rebuild.RebuildPlan;
import dev.gatehouse.rebuild.RebuildPlanJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatehouse rebuild plan BASE_REF}: what a new digest of a base tag would rebuild, in order, and why. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "Print what a new digest of BASE_REF (a tag) would rebuild: every dependent in the image graph that the catalog "
                    + "can build, transitively, in dependency order, with the reason; dependents that are not rebuilt and why; cycles.",
            "Exit codes: 0 planned, 1 the graph has a cycle through this base (reported; nothing on it is rebuilt), 2 error."
        })
final class RebuildPlanCommand implements Callable<Integer> {

    enum Format { text, json }

    @Mixin
    RebuildOptions rebuild;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE}).")
    Format format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RebuildPlan plan = rebuild.plan(registry).plan();
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(UntrustedJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(RebuildPlanJson.json(plan)));
        } else {
            out.print(RebuildPlanJson.text(plan));
        }
        out.flush();
        return plan.cycles().isEmpty() ? 0 : 1;
    }
}
