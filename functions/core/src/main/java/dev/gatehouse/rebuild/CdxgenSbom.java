package dev.gatehouse.rebuild;

import dev.gatehouse.io.Printable;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.OciArchiveWriter;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.sbom.SbomReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Generates a rebuilt image's SBOM with OWASP cdxgen ({@code npm install -g @cyclonedx/cdxgen}):
 * the pushed image is read back from the registry by digest into an OCI archive and
 * {@code cdxgen -t docker --spec-version 1.6} inventories it (OS packages through its trivy plugin,
 * language packages, unpackaged executables). Whatever image buildah left locally is not trusted:
 * the SBOM describes exactly the digest that was pushed. cdxgen exits 0 even when it found
 * nothing; the {@link RebuildHardener} refuses an SBOM without components.
 */
public final class CdxgenSbom implements RebuiltImageSbom {

    public static final String SPEC_VERSION = "1.6";

    private final String cdxgen;
    private final Path workDir;
    private final Duration timeout;
    private final long maxImageBytes;

    /**
     * @param cdxgen the cdxgen executable
     * @param workDir where each run makes its own {@code gatehouse-sbom-*} directory for the archive
     *     and cdxgen's temporary files, removed when the run ends, failed or not (the system's
     *     temporary directory will do: nothing is left in it)
     * @param maxImageBytes the largest image (config and layers) read back for inventory
     */
    public CdxgenSbom(String cdxgen, Path workDir, Duration timeout, long maxImageBytes) {
        this.cdxgen = cdxgen;
        this.workDir = workDir;
        this.timeout = timeout;
        this.maxImageBytes = maxImageBytes;
    }

    @Override
    public byte[] sbomOf(OciRepository repository, Descriptor image, BuildRunner.BuildRequest request, BuildRunner.Succeeded result)
            throws HardeningException, InterruptedException {
        String what = repository.name() + "@" + image.digest();
        Path dir = null;
        Process process = null;
        try {
            dir = Files.createTempDirectory(Files.createDirectories(workDir), "gatehouse-sbom-");
            String name = repository.name().substring(repository.name().lastIndexOf('/') + 1);
            Path archive = dir.resolve(name + "-" + image.digest().hex().substring(0, 12) + ".tar");
            OciArchiveWriter.write(repository, image, archive, maxImageBytes);
            Path bom = dir.resolve("bom.json");
            Path log = dir.resolve("cdxgen.log");
            ProcessBuilder builder = new ProcessBuilder(List.of(cdxgen, "-t", "docker", "--spec-version", SPEC_VERSION, "-o",
                    bom.toString(), archive.toString())).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // cdxgen extracts the layers under TMPDIR; keep them in the directory removed below.
            builder.environment().put("TMPDIR", dir.toString());
            builder.environment().put("FETCH_LICENSE", "false");
            process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new HardeningException("cdxgen did not finish within " + timeout + " on " + what);
            }
            if (process.exitValue() != 0) {
                throw new HardeningException("cdxgen exited " + process.exitValue() + " on " + what + ": " + ProcessLog.lastLine(log));
            }
            if (!Files.isRegularFile(bom)) {
                throw new HardeningException("cdxgen wrote no SBOM for " + what + ": " + ProcessLog.lastLine(log));
            }
            if (Files.size(bom) > SbomReader.DEFAULT_MAX_BYTES) {
                throw new HardeningException("cdxgen's SBOM of " + what + " is larger than " + SbomReader.DEFAULT_MAX_BYTES + " bytes");
            }
            return Files.readAllBytes(bom);
        } catch (RegistryException e) {
            throw new HardeningException("cannot read " + what + " back for its SBOM: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new HardeningException("cdxgen could not run on " + what + ": " + Printable.oneLine(String.valueOf(e.getMessage())), e);
        } finally {
            if (process != null) {
                stop(process);
            }
            if (dir != null) {
                delete(dir);
            }
        }
    }

    /**
     * Ends cdxgen and whatever it started (its trivy plugin, docker-save helpers) when it timed out
     * or this thread was interrupted, before their working directory is removed under them.
     */
    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is not worth failing a hardened image for.
        }
    }
}
