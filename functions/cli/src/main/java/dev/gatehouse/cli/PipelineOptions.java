package dev.gatehouse.cli;

import dev.gatehouse.io.InputFiles;
import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.rego.bundle.BundleVerification;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.vex.VexPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that configure the verification pipeline, shared by every command that runs it. */
public final class PipelineOptions {

    @Mixin
    RegistryOptions registry;

    @Option(names = "--policy", paramLabel = "DIR|FILE",
            description = "OPA bundle (directory or .tar.gz); default: the embedded policies/hardened bundle.")
    Path policy;

    @Option(names = "--data", paramLabel = "FILE", description = "JSON data merged over the bundle's data (e.g. settings overrides).")
    Path data;

    @Option(names = "--query", paramLabel = "QUERY", description = "Decision query (default: data.gatehouse.main.decision).")
    String query;

    @Option(names = "--trust-config", paramLabel = "FILE",
            description = "Which keys and identities are trusted for which images (docs/trust-config.md). Without it nothing is trusted.")
    Path trustConfig;

    @Option(names = "--trusted-builders", paramLabel = "FILE",
            description = "SLSA trusted-builders list (JSON) replacing the built-in one.")
    Path trustedBuilders;

    VerificationPipeline pipeline(ExecutorService executor, java.util.function.Consumer<String> log)
            throws IOException, MalformedInputException, PolicyException, RegistryException {
        PolicyBundle bundle = policy == null ? PolicyBundle.hardened() : PolicyBundle.load(policy, BundleVerification.NONE, query);
        if (data != null) {
            bundle = bundle.withData(UntrustedJson.parse(InputFiles.read(data, "policy data", UntrustedJson.DEFAULT_MAX_BYTES), "policy data " + data));
        }
        TrustConfig trust = trustConfig == null ? new TrustConfig(List.of()) : TrustConfig.read(trustConfig);
        TrustedBuilders builders = trustedBuilders == null ? TrustedBuilders.defaults()
                : TrustedBuilders.read(trustedBuilders);
        return new VerificationPipeline(registry.repositories(), trust, builders, bundle, VexPolicy.defaults(),
                Clock.systemUTC(), executor, log);
    }
}
