package dev.gatehouse.cli;

import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.Platform;
import dev.gatehouse.verify.ReportJson;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.verify.VerificationReport;
import dev.gatehouse.verify.VerificationRequest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse verify}: the main job on one image. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Verify an image against a policy bundle: resolve the digest, find and verify its signatures and "
                    + "attestations, read provenance, SBOM, VEX and scan results, and evaluate the policy.",
            "Exit codes: 0 allow (also with warnings), 1 deny, 2 error (nothing decided: fail closed)."
        })
final class VerifyCommand implements Callable<Integer> {

    enum Format { text, json, sarif }

    @Mixin
    PipelineOptions options;

    @Parameters(paramLabel = "REF", description = "Image reference (registry/repo:tag, repo@sha256:...) or oci:DIR[:TAG].")
    String image;

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "Platform of a multi-platform image (default linux/amd64).")
    String platform;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text, json or sarif (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--vex", paramLabel = "FILE", description = "A VEX document supplied by the operator (trusted; repeatable).")
    List<Path> vex = new ArrayList<>();

    @Option(names = "--scan", paramLabel = "FILE", description = "A scanner report supplied by the operator (repeatable).")
    List<Path> scans = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ImageReference reference = ImageReference.parse(image);
        VerificationRequest request = new VerificationRequest(reference, platform == null ? null : Platform.parse(platform), "cli",
                null, documents(vex), documents(scans));
        PrintWriter err = spec.commandLine().getErr();
        ExecutorService executor = Executors.newFixedThreadPool(8);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        try {
            progress.schedule(() -> {
                err.println("verifying " + reference + " ...");
                err.flush();
            }, 1, TimeUnit.SECONDS);
            VerificationPipeline pipeline = options.pipeline(executor, line -> err.println("policy: " + line));
            VerificationReport report = pipeline.verify(request);
            progress.shutdownNow();
            print(report, spec.commandLine().getOut());
            return report.decision().allowed() ? 0 : 1;
        } finally {
            progress.shutdownNow();
            executor.shutdownNow();
        }
    }

    void print(VerificationReport report, PrintWriter out) throws Exception {
        switch (format) {
            case text -> ReportText.print(report, out);
            case json -> out.println(UntrustedJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(ReportJson.toJson(report)));
            case sarif -> out.println(UntrustedJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(ReportSarif.of(report)));
        }
        out.flush();
    }

    private static List<VerificationRequest.OperatorDocument> documents(List<Path> files) throws Exception {
        List<VerificationRequest.OperatorDocument> out = new ArrayList<>();
        for (Path f : files) {
            if (Files.size(f) > 64L * 1024 * 1024) {
                throw new IllegalArgumentException(f + ": larger than 64 MiB");
            }
            out.add(new VerificationRequest.OperatorDocument(f.toString(), Files.readAllBytes(f)));
        }
        return out;
    }
}
