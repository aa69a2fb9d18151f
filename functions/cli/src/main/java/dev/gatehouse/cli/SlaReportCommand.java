package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.InputFiles;
import dev.gatehouse.aws.DynamoDbFindingLedger;
import dev.gatehouse.aws.GatehouseTable;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.ports.FindingLedger;
import dev.gatehouse.ports.local.InMemoryFindingLedger;
import dev.gatehouse.rego.bundle.BundleVerification;
import dev.gatehouse.sla.ImageObservation;
import dev.gatehouse.sla.LedgerRecorder;
import dev.gatehouse.sla.SlaReport;
import dev.gatehouse.sla.SlaReportFormat;
import dev.gatehouse.sla.SlaRules;
import dev.gatehouse.verify.ReportJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** {@code gatehouse sla report}: open SLA breaches, closed findings with time to fix, end of life. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Print the remediation SLA report over a finding ledger: open SLA breaches (7 days critical/high, 30 days "
                    + "others, 1 day CISA KEV in the hardened bundle; the clock starts when a fix became available), "
                    + "closed findings with their time to fix, per-image and overall figures, end of life.",
            "The ledger is DynamoDB (--store dynamodb:TABLE) or is built in memory from a directory of stored "
                    + "verification reports (gatehouse verify --format json), replayed in the order of their time.",
            "Exit codes: 0 printed, 1 --fail-on-breach and a breach is open, 2 error."
        })
final class SlaReportCommand implements Callable<Integer> {

    static final int MAX_REPORT_FILES = 100_000;
    static final int MAX_REPORT_BYTES = 16 * 1024 * 1024;

    @Option(names = "--store", required = true, paramLabel = "DIR|dynamodb:TABLE",
            description = "a directory of verification reports (*.json, searched recursively), or a DynamoDB table")
    String store;

    @Option(names = "--dynamodb-endpoint", paramLabel = "URL", description = "DynamoDB endpoint (e.g. DynamoDB Local)")
    URI endpoint;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region of the table (default: the SDK's chain)")
    String region;

    @Option(names = "--policy", paramLabel = "DIR|FILE", description = "bundle whose data sets the SLA rules (default: embedded hardened)")
    Path policy;

    @Option(names = "--data", paramLabel = "FILE", description = "JSON data merged over the bundle's data (settings, KEV list)")
    Path data;

    @Option(names = "--now", paramLabel = "RFC3339", description = "evaluate at this time instead of the clock")
    Instant now;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", description = "output format (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--fail-on-breach", description = "exit 1 when an SLA breach or an end-of-life breach is open")
    boolean failOnBreach;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("--format must be text or json, not '" + format + "'");
        }
        SlaRules rules = rules();
        Clock clock = now == null ? Clock.systemUTC() : Clock.fixed(now, ZoneOffset.UTC);
        SlaReport report;
        if (store.startsWith("dynamodb:")) {
            String table = store.substring("dynamodb:".length());
            if (table.isBlank()) {
                throw new IllegalArgumentException("--store dynamodb:TABLE needs a table name");
            }
            try (DynamoDbClient client = dynamoDb()) {
                report = SlaReport.of(new DynamoDbFindingLedger(new GatehouseTable(client, table)), rules, clock);
            }
        } else {
            report = SlaReport.of(fromReports(Path.of(store), rules), rules, clock);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(UntrustedJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(SlaReportFormat.json(report)));
        } else {
            out.print(SlaReportFormat.text(report));
        }
        out.flush();
        boolean breach = report.totals().breaches() > 0 || report.totals().imagesPastEol() > 0;
        return failOnBreach && breach ? 1 : 0;
    }

    private SlaRules rules() throws Exception {
        PolicyBundle bundle = policy == null ? PolicyBundle.hardened() : PolicyBundle.load(policy, BundleVerification.NONE, null);
        if (data != null) {
            bundle = bundle.withData(UntrustedJson.parse(InputFiles.read(data, "policy data", UntrustedJson.DEFAULT_MAX_BYTES), "policy data " + data));
        }
        return SlaRules.of(bundle);
    }

    private DynamoDbClient dynamoDb() {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (region != null) {
            builder.region(Region.of(region));
        }
        return builder.build();
    }

    /** Replays every verification report under {@code dir} into an in-memory ledger, oldest first. */
    private FindingLedger fromReports(Path dir, SlaRules rules) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--store " + dir + " is not a directory (use dynamodb:TABLE for DynamoDB)");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir, 16)) {
            files = walk.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().limit(MAX_REPORT_FILES + 1L).toList();
        }
        if (files.size() > MAX_REPORT_FILES) {
            throw new IllegalArgumentException(dir + " holds more than " + MAX_REPORT_FILES + " JSON files");
        }
        List<ImageObservation> observations = new ArrayList<>();
        int skipped = 0;
        for (Path file : files) {
            JsonNode report;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] content = in.readNBytes(MAX_REPORT_BYTES + 1);
                if (content.length > MAX_REPORT_BYTES) {
                    throw new IllegalArgumentException(file + " is larger than " + MAX_REPORT_BYTES + " bytes");
                }
                report = UntrustedJson.parse(content, "verification report " + file, MAX_REPORT_BYTES);
            } catch (MalformedInputException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
            if (!ReportJson.SCHEMA.equals(report.path("schema").asText())) {
                skipped++;
                continue;
            }
            try {
                observations.add(ImageObservation.fromReport(report, rules));
            } catch (MalformedInputException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
        if (skipped > 0) {
            spec.commandLine().getErr().println("skipped " + skipped + " JSON files that are not verification reports ("
                    + ReportJson.SCHEMA + ")");
        }
        observations.sort(Comparator.comparing(ImageObservation::verifiedAt));
        FindingLedger ledger = new InMemoryFindingLedger();
        LedgerRecorder recorder = new LedgerRecorder(ledger);
        observations.forEach(recorder::record);
        return ledger;
    }
}
