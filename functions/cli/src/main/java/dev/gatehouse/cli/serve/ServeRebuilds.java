package dev.gatehouse.cli.serve;

import dev.gatehouse.cli.RebuildHardeningOptions;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.rebuild.BuildahRunner;
import dev.gatehouse.rebuild.BuiltImageListener;
import dev.gatehouse.rebuild.RebuildCatalog;
import dev.gatehouse.rebuild.RebuildTrigger;
import dev.gatehouse.rebuild.Rebuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Rebuilds in {@code gatehouse serve}: with {@code --rebuild-catalog}, a verified push of a base the
 * catalog names rebuilds its dependents with buildah on this machine (one build at a time, off the
 * request thread), and with {@code --rebuild-signing-key} ({@link RebuildHardeningOptions}) every rebuild is hardened with the platform
 * key (cdxgen SBOM, SLSA provenance, cosign signature; docs/rebuilds.md) before its own push is
 * verified.
 */
public final class ServeRebuilds implements ServeModule {

    @Option(names = "--rebuild-catalog", paramLabel = "FILE",
            description = "Rebuild catalog (docs/rebuilds.md): a verified push of a base it names rebuilds the dependents with buildah here.")
    Path catalog;

    @Mixin
    RebuildHardeningOptions hardening = new RebuildHardeningOptions();

    @Option(names = "--buildah", paramLabel = "PATH", defaultValue = "buildah", description = "The buildah binary (default ${DEFAULT-VALUE}).")
    String buildah;

    @Option(names = "--rebuild-storage", paramLabel = "DIR", description = "buildah's storage root (default a new temporary directory).")
    Path storage;

    private boolean tlsVerifyDisabledUnsafe;
    private Path authFile;

    /** buildah's registry access, from the server's registry flags (any plain-HTTP host turns TLS verification off for builds). */
    public void registryAccess(boolean tlsVerifyDisabledUnsafe, Path authFile) {
        this.tlsVerifyDisabledUnsafe = tlsVerifyDisabledUnsafe;
        this.authFile = authFile;
    }

    @Override
    public List<VerificationListener> listeners(ServeContext context) throws Exception {
        if (catalog == null) {
            if (hardening.enabled()) {
                throw new IllegalArgumentException("--rebuild-signing-key needs --rebuild-catalog");
            }
            return List.of();
        }
        RebuildCatalog rebuilds = RebuildCatalog.read(catalog);
        Consumer<String> log = line -> context.log().info("rebuild", Map.of("detail", line));
        BuildahRunner runner = new BuildahRunner(buildah, storage != null ? storage : Files.createTempDirectory("gatehouse-buildah-"),
                Files.createTempDirectory("gatehouse-rebuild-"), tlsVerifyDisabledUnsafe, authFile, rebuilds.settings().buildTimeout(),
                context.clock());
        List<BuiltImageListener> afterBuild = hardening.hardener(context.repositories(), () -> rebuilds, log)
                .<List<BuiltImageListener>>map(List::of).orElse(List.of());
        Rebuilder rebuilder = new Rebuilder(runner, context.graph(), context.idempotency(), context.events(), rebuilds.settings(),
                context.clock(), log, afterBuild);
        RebuildTrigger trigger = new RebuildTrigger(context.graph(), () -> rebuilds, rebuilder, log);
        // Builds take minutes: they run one at a time off the request thread, which answers the registry at once.
        ExecutorService builds = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "gatehouse-rebuild");
            thread.setDaemon(true);
            return thread;
        });
        return List.of(image -> builds.execute(() -> {
            try {
                trigger.onVerified(image);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.accept("rebuild trigger failed for " + image.repository() + "@" + image.digest() + ": " + e.getMessage());
            }
        }));
    }
}
