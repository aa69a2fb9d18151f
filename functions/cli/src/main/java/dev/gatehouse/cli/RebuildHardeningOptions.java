package dev.gatehouse.cli;

import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.rebuild.CdxgenSbom;
import dev.gatehouse.rebuild.RebuildCatalog;
import dev.gatehouse.rebuild.RebuildHardener;
import dev.gatehouse.signing.LocalKeySigner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** How rebuilds are hardened (docs/rebuilds.md), shared by {@code rebuild run} and {@code serve}. */
public final class RebuildHardeningOptions {

    /** The largest rebuilt image read back for its SBOM. */
    static final long MAX_IMAGE_BYTES = 8L << 30;

    @Option(names = "--rebuild-signing-key", paramLabel = "PEM",
            description = "The platform's PKCS#8 private key: every rebuild gets a cdxgen SBOM and SLSA provenance as signed "
                    + "attestations and a cosign signature (without it rebuilds are pushed unsigned, and a gate denies them).")
    Path signingKey;

    @Option(names = "--rebuild-builder-id", paramLabel = "ID", defaultValue = RebuildHardener.BUILDAH_BUILDER_ID,
            description = "Builder id the rebuilds' provenance names; trusted-builders lists trust it (default ${DEFAULT-VALUE}).")
    String builderId;

    @Option(names = "--cdxgen", paramLabel = "PATH", defaultValue = "cdxgen",
            description = "The cdxgen binary that makes rebuild SBOMs (npm @cyclonedx/cdxgen; default ${DEFAULT-VALUE}).")
    String cdxgen;

    public boolean enabled() {
        return signingKey != null;
    }

    /** The hardener of rebuilds in {@code catalog}, or empty without {@code --rebuild-signing-key}. */
    public Optional<RebuildHardener> hardener(OciRepositories repositories, Supplier<RebuildCatalog> catalog, Consumer<String> log)
            throws IOException, Signer.SigningException {
        if (signingKey == null) {
            return Optional.empty();
        }
        // Each SBOM run makes and removes its own directory here, so a run (even a failed one) leaves nothing behind.
        Path workRoot = Path.of(System.getProperty("java.io.tmpdir"));
        CdxgenSbom sbom = new CdxgenSbom(cdxgen, workRoot, catalog.get().settings().buildTimeout(), MAX_IMAGE_BYTES);
        return Optional.of(new RebuildHardener(repositories, LocalKeySigner.fromPem(signingKey, null), sbom, catalog, builderId, log));
    }
}
