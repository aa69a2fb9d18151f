package dev.gatehouse.cli;

import dev.gatehouse.handlers.scan.ImageResult;
import dev.gatehouse.handlers.scan.LocalScan;
import dev.gatehouse.handlers.scan.ScanKeys;
import dev.gatehouse.handlers.scan.ScanPlanner;
import dev.gatehouse.handlers.scan.ScanSummary;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.ImageEnumerator;
import dev.gatehouse.ports.local.DirectoryBlobStore;
import dev.gatehouse.verify.VerificationPipeline;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {
            "Compliance scan of a registry: list its repositories (or the named ones) and tags, verify every image once per "
                    + "digest with the current policy, and write per-image results, summary.json and index.html under "
                    + "--out/reports/<scan id>/ (docs/compliance-scans.md); with --report-signing-key each with a detached KEY.sig "
                    + "that gatehouse verify-report checks.",
            "Exit codes: 0 every image allowed, 1 some image denied, 2 an image or repository could not be checked (or error)."
        })
final class ScanCommand implements Callable<Integer> {

    @Mixin
    PipelineOptions options;

    @Mixin
    ReportSigningOption reportSigning;

    @Parameters(paramLabel = "REGISTRY", description = "Registry host (host[:port]).")
    String registry;

    @Option(names = "--repository", paramLabel = "NAME", description = "Scan only this repository (repeatable); default every repository in the catalog.")
    List<String> repositories = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the reports (earlier scans there feed the trend charts).")
    Path out;

    @Option(names = "--max-images", paramLabel = "N", defaultValue = "" + ScanPlanner.DEFAULT_MAX_IMAGES,
            description = "Stop listing after N images (default ${DEFAULT-VALUE}).")
    int maxImages;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4", description = "Batches verified at once (default ${DEFAULT-VALUE}).")
    int workers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        // Unbounded: concurrent verifications wait on the evidence lookups they queue here.
        ExecutorService executor = Executors.newCachedThreadPool();
        try {
            VerificationPipeline pipeline = options.pipeline(executor, line -> err.println("policy: " + line));
            BlobStore blobs = reportSigning.signing(new DirectoryBlobStore(out));
            LocalScan scan = LocalScan.ofRegistry(options.registry.repositories(), registry, pipeline, blobs).workers(workers)
                    .progress(line -> {
                        err.println(line);
                        err.flush();
                    }).build();
            LocalScan.Result result = scan.run(new ImageEnumerator.Scope(repositories, maxImages));
            ScanSummary summary = result.summary();
            Map<ImageResult.Status, Integer> decisions = summary.decisions();
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf("scan %s: %d images: %d allow, %d warn, %d deny, %d error; %d SLA breaches; %d not listed%n", summary.scanId(),
                    summary.results().size(), decisions.get(ImageResult.Status.ALLOW), decisions.get(ImageResult.Status.WARN),
                    decisions.get(ImageResult.Status.DENY), decisions.get(ImageResult.Status.ERROR), summary.slaBreaches(),
                    summary.plan().unlisted().size());
            stdout.println("summary: " + out.resolve(ScanKeys.summary(summary.scanId())));
            stdout.println("report:  " + out.resolve(ScanKeys.html(summary.scanId())));
            stdout.flush();
            if (!result.failedBatches().isEmpty() || !summary.complete() || decisions.get(ImageResult.Status.ERROR) > 0
                    || !summary.plan().unlisted().isEmpty()) {
                return 2;
            }
            return decisions.get(ImageResult.Status.DENY) > 0 ? 1 : 0;
        } finally {
            executor.shutdownNow();
        }
    }
}
