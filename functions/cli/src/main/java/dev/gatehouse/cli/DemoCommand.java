package dev.gatehouse.cli;

import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.verify.VerificationReport;
import dev.gatehouse.verify.VerificationRequest;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse demo}: the main job end to end on embedded defaults, offline. Builds a signed,
 * attested sample image and a defective variant into an OCI layout, then verifies both with the
 * hardened policy.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Build a sample image into a local OCI layout (signed with a throwaway key that the sample trust "
                    + "configuration names, with SLSA provenance, a CycloneDX SBOM, a vulnerability scan and OpenVEX "
                    + "attached), verify it (allow), then verify a deliberately defective variant (deny, with the reasons).",
            "Exit codes: 0 when both verdicts are as expected, 1 otherwise, 2 on errors."
        })
final class DemoCommand implements Callable<Integer> {

    static final Set<SampleDefect> DEFECTS = EnumSet.of(SampleDefect.ROOT_USER, SampleDefect.SHELL_PRESENT,
            SampleDefect.CRITICAL_CVE_PAST_SLA, SampleDefect.AGPL_COMPONENT, SampleDefect.UNAPPROVED_BASE);

    @Mixin
    PipelineOptions options;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the layout and trust files (default: a new temporary directory).")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("gatehouse-demo");
        Path layout = root.resolve("layout");
        Path trust = root.resolve("trust");
        LocalKeySigner signer = LocalKeySigner.generate("sample-publisher");
        SampleTrust.write(trust, signer);
        SampleImages samples = new SampleImages(OciLayout.openOrCreate(layout), signer, Instant.now());
        String name = "registry.gatehouse.test/samples/app";
        samples.build(name, "compliant", Set.of());
        samples.build(name, "defective", DEFECTS);
        if (options.trustConfig == null) {
            options.trustConfig = trust.resolve(SampleTrust.TRUST_CONFIG);
        }
        if (options.trustedBuilders == null) {
            options.trustedBuilders = trust.resolve(SampleTrust.TRUSTED_BUILDERS);
        }
        out.println("Built two sample images in oci:" + layout + " (tags compliant, defective); trust files in " + trust);
        out.println();
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try {
            VerificationPipeline pipeline = options.pipeline(executor, line -> { });
            VerificationReport good = verify(pipeline, layout, "compliant", out);
            VerificationReport bad = verify(pipeline, layout, "defective", out);
            out.println("Verify them, or any image by reference, with:");
            out.println("  ./gatehouse verify oci:" + layout + ":compliant --trust-config " + options.trustConfig
                    + " --trusted-builders " + options.trustedBuilders);
            boolean expected = good.decision().allowed() && !bad.decision().allowed();
            out.println(expected ? "Demo result: as expected (compliant allowed, defective denied)."
                    : "Demo result: UNEXPECTED verdicts.");
            out.flush();
            return expected ? 0 : 1;
        } finally {
            executor.shutdownNow();
        }
    }

    private static VerificationReport verify(VerificationPipeline pipeline, Path layout, String tag, PrintWriter out)
            throws Exception {
        out.println("$ gatehouse verify oci:" + layout + ":" + tag);
        VerificationReport report = pipeline.verify(VerificationRequest.of(ImageReference.parse("oci:" + layout + ":" + tag), "cli"));
        ReportText.print(report, out);
        out.println();
        return report;
    }
}
