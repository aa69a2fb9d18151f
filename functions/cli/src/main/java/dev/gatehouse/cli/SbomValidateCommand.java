package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.sbom.SbomReader;
import dev.gatehouse.sbom.SbomValidation;
import dev.gatehouse.sbom.SchemaViolation;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse sbom validate FILE}: exit 0 when valid, 1 when not, with the reasons. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Check an SBOM against its format: CycloneDX JSON against the CycloneDX schema of its specVersion "
                    + "(1.2 to 1.7; later 1.x against the 1.7 schema, with a warning), SPDX 2.2/2.3 JSON structurally.",
            "Exit codes: 0 valid (warnings on stderr), 1 invalid or not an SBOM (reasons on stdout, or stderr "
                    + "for unreadable JSON), 2 usage or I/O error."
        })
final class SbomValidateCommand implements Callable<Integer> {

    static final int EXIT_INVALID = 1;
    private static final int MAX_LISTED = 100;

    @Parameters(paramLabel = "FILE", description = "SBOM, in-toto statement or DSSE envelope; '-' reads stdin")
    String file;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--strict", description = "Treat warnings (a newer CycloneDX version checked as 1.6, "
            + "dangling refs, SPDX fields generators omit) as violations.")
    boolean strict;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        byte[] content = SbomCommand.readInput(file);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SbomValidation result;
        try {
            result = new SbomReader().validate(content);
        } catch (MalformedInputException e) {
            if (json) {
                ObjectNode node = UntrustedJson.mapper().createObjectNode();
                node.put("valid", false);
                node.put("error", e.getMessage());
                out.println(UntrustedJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
            }
            err.println(spec.qualifiedName(" ") + ": " + SbomCommand.describe(file, e));
            return EXIT_INVALID;
        }
        if (strict && result.isValid() && !result.warnings().isEmpty()) {
            result = new SbomValidation.Invalid(result.format(), result.specVersion(), result.wrapping(),
                    result.warnings().stream().map(w -> new SchemaViolation("", "strict: " + w)).toList(), List.of());
        }
        if (json) {
            out.println(UntrustedJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(result)));
        } else {
            String what = name(result);
            if (result instanceof SbomValidation.Invalid invalid) {
                out.println(file + ": invalid " + what + ": " + invalid.violations().size() + " violation"
                        + (invalid.violations().size() == 1 ? "" : "s"));
                invalid.violations().stream().limit(MAX_LISTED).forEach(v -> out.println("  " + v));
                if (invalid.violations().size() > MAX_LISTED) {
                    out.println("  ... and " + (invalid.violations().size() - MAX_LISTED) + " more (--json lists all)");
                }
            } else {
                out.println(file + ": valid " + what);
            }
            for (String warning : result.warnings()) {
                err.println("warning: " + warning);
            }
        }
        return result.isValid() ? 0 : EXIT_INVALID;
    }

    private static String name(SbomValidation result) {
        String format = result.format().displayName();
        String version = result.specVersion() == null ? "" : " " + result.specVersion();
        String named = format.replace(" SBOM", version + " SBOM");
        return result.wrapping() == null ? named : named + " (" + result.wrapping() + ")";
    }

    private static ObjectNode toJson(SbomValidation result) {
        ObjectNode node = UntrustedJson.mapper().createObjectNode();
        node.put("valid", result.isValid());
        node.put("format", result.format().id());
        node.put("spec_version", result.specVersion());
        if (result.wrapping() != null) {
            node.put("wrapping", result.wrapping());
        }
        var violations = node.putArray("violations");
        if (result instanceof SbomValidation.Invalid invalid) {
            invalid.violations().forEach(v -> violations.addObject().put("location", v.location()).put("message", v.message()));
        }
        var warnings = node.putArray("warnings");
        result.warnings().forEach(warnings::add);
        return node;
    }
}
