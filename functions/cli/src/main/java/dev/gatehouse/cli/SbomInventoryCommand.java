package dev.gatehouse.cli;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.sbom.Inventory;
import dev.gatehouse.sbom.InventoryJson;
import dev.gatehouse.sbom.SbomReader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse sbom inventory FILE}: the normalised inventory as JSON. */
@Command(
        name = "inventory",
        mixinStandardHelpOptions = true,
        description = {
            "Validate an SBOM, then print its normalised inventory as JSON: subject, OS, components "
                    + "(purl, version, kind, licenses, supplier, hashes), files, dependency edges and facts "
                    + "(shells, package managers, setuid files).",
            "Exit codes: 0 printed, 2 invalid SBOM or I/O error (one line on stderr)."
        })
final class SbomInventoryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "SBOM, in-toto statement or DSSE envelope; '-' reads stdin")
    String file;

    @Option(names = "--compact", description = "Print the JSON on one line.")
    boolean compact;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        byte[] content = SbomCommand.readInput(file);
        Inventory inventory;
        try {
            inventory = new SbomReader().read(content);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(SbomCommand.describe(file, e), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        var writer = compact ? UntrustedJson.mapper().writer() : UntrustedJson.mapper().writerWithDefaultPrettyPrinter();
        out.println(writer.writeValueAsString(InventoryJson.toJson(inventory)));
        PrintWriter err = spec.commandLine().getErr();
        for (String warning : inventory.warnings()) {
            err.println("warning: " + warning);
        }
        return 0;
    }
}
