package dev.gatehouse.cli;

import dev.gatehouse.io.InputFiles;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.vex.MergedVex;
import dev.gatehouse.vex.ProductIdentity;
import dev.gatehouse.vex.ScanFilter;
import dev.gatehouse.vex.VexDocument;
import dev.gatehouse.vex.VexDocuments;
import dev.gatehouse.vex.VexMergeException;
import dev.gatehouse.vex.VexMerger;
import dev.gatehouse.vex.VexPolicy;
import dev.gatehouse.vex.VexSource;
import dev.gatehouse.vex.VexStatement;
import dev.gatehouse.vex.VexStatus;
import dev.gatehouse.vex.VexVerdict;
import dev.gatehouse.vuln.ScanReport;
import dev.gatehouse.vuln.ScanReports;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse vex filter}: the scan without the results VEX suppresses, in its own format. */
@Command(
        name = "filter",
        mixinStandardHelpOptions = true,
        description = {
            "Writes SCAN (SARIF 2.1, Trivy JSON, Grype JSON, CycloneDX with vulnerabilities, cosign vuln predicate)",
            "back in its own format without the results the VEX documents suppress.",
            "Exit codes: 0 written, 2 unreadable or malformed input."
        })
final class VexFilterCommand implements Callable<Integer> {

    @Option(names = "--vex", paramLabel = "FILE", required = true,
            description = "A VEX document (OpenVEX, CycloneDX VEX, CSAF VEX); repeatable. Files given here are trusted as operator-supplied.")
    List<Path> vexFiles = new ArrayList<>();

    @Option(names = "--product", paramLabel = "ID",
            description = "What the scan is of, added to what the report names: a purl, an image reference with digest or a digest "
                    + "(an index digest covers its platform images); repeatable.")
    List<String> products = new ArrayList<>();

    @Option(names = "--suppress", paramLabel = "STATUS", split = ",",
            description = "Statuses that suppress a result (default: not_affected,fixed).")
    List<String> suppress = new ArrayList<>();

    @Option(names = "--explain", description = "List on stderr which statement suppressed which result.")
    boolean explain;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the filtered scan here instead of stdout.")
    Path output;

    @Parameters(index = "0", paramLabel = "SCAN", description = "The scanner report, or - for stdin.")
    String scan;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, UnacceptableFileException, VexMergeException {
        List<VexDocument> documents = new ArrayList<>();
        for (Path file : vexFiles) {
            try {
                documents.add(VexDocuments.parse(read(file), new VexSource.OperatorSupplied(file.toString())));
            } catch (MalformedInputException e) {
                throw new UnacceptableFileException(file.toString(), e);
            }
        }
        ScanReport report;
        try {
            report = ScanReports.parse(scan.equals("-") ? readStdin() : read(Path.of(scan)));
        } catch (MalformedInputException e) {
            throw new UnacceptableFileException(scan, e);
        }
        MergedVex merged = VexMerger.merge(documents);
        ProductIdentity declared = null;
        for (String p : products) {
            ProductIdentity id = ProductIdentity.ofIdentifier(p);
            declared = declared == null ? id : declared.union(id);
        }
        ScanFilter.Result result = ScanFilter.filter(report, merged, policy(), declared);
        if (output != null) {
            Files.write(output, result.filtered());
        } else {
            spec.commandLine().getOut().print(new String(result.filtered(), StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
        }
        if (explain) {
            explain(spec.commandLine().getErr(), documents, merged, report, result);
        }
        return 0;
    }

    /** A malformed input file: the file name, then the format, place and problem. */
    static final class UnacceptableFileException extends Exception {
        UnacceptableFileException(String file, MalformedInputException cause) {
            super(file + ": " + cause.getMessage(), cause);
        }
    }

    private VexPolicy policy() {
        if (suppress.isEmpty()) {
            return VexPolicy.defaults();
        }
        Set<VexStatus> statuses = EnumSet.noneOf(VexStatus.class);
        for (String s : suppress) {
            statuses.add(VexStatus.fromLabel(s.strip()).orElseThrow(() -> new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--suppress: '" + s + "' is not one of not_affected, affected, fixed, under_investigation")));
        }
        return new VexPolicy(statuses);
    }

    private static void explain(PrintWriter err, List<VexDocument> documents, MergedVex merged, ScanReport report, ScanFilter.Result result) {
        for (VexDocument d : documents) {
            err.println("vex: " + d.format().displayName() + " " + (d.id() == null ? "(no id)" : d.id()) + ", "
                    + d.statements().size() + " statements, " + d.source().describe());
            for (String w : d.warnings()) {
                err.println("  warning: " + w);
            }
        }
        for (VexStatement s : merged.inapplicable()) {
            err.println("not applied: " + s.describe() + ": " + s.defect());
        }
        err.println("scan: " + report.format().displayName() + ", " + report.findings().size() + " results, product "
                + (result.image() == null ? "unknown (name it with --product)" : result.image().describe()));
        for (VexVerdict v : result.verdicts()) {
            if (v instanceof VexVerdict.Suppressed s) {
                err.println("suppressed " + s.finding().describe() + " by " + s.decidingStatement().describe());
            } else if (v instanceof VexVerdict.Kept k && k.latest() != null) {
                err.println("kept " + k.finding().describe() + ": latest statement " + k.latest().describe());
            }
        }
        err.println(result.suppressedCount() + " of " + result.verdicts().size() + " results suppressed");
        err.flush();
    }

    private static byte[] read(Path file) throws IOException {
        return InputFiles.read(file, ScanReports.MAX_BYTES);
    }

    private static byte[] readStdin() throws IOException {
        InputStream in = System.in;
        byte[] data = in.readNBytes(ScanReports.MAX_BYTES + 1);
        if (data.length > ScanReports.MAX_BYTES) {
            throw new IOException("stdin: more than " + ScanReports.MAX_BYTES + " bytes");
        }
        return data;
    }
}
