package dev.gatehouse.rebuild;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.BuildRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds with buildah on this machine, for local use and CI: {@code buildah bud} with chroot
 * isolation on vfs storage (no daemon, no cgroups needed), the first {@code FROM} replaced by the
 * pinned base digest, the base recorded as {@code org.opencontainers.image.base.name}/{@code .digest}
 * annotations and labels, then {@code buildah push --digestfile} to the target. A build runs to the
 * end inside {@link #start}: there is nothing to return to while it runs.
 */
public final class BuildahRunner implements BuildRunner {

    static final int LOG_TAIL_LINES = 20;

    private final String buildah;
    private final Path root;
    private final Path workDir;
    private final boolean tlsVerify;
    private final Path authFile;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, BuildStatus> builds = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();

    /**
     * @param root buildah's storage (images, layers) and run root live under it
     * @param workDir generated build contexts and build logs
     * @param tlsVerifyDisabledUnsafe true lets buildah pull and push over plain HTTP or unverified TLS (local test registries only)
     * @param authFile registry credentials (a Docker config.json), or null
     */
    public BuildahRunner(String buildah, Path root, Path workDir, boolean tlsVerifyDisabledUnsafe, Path authFile, Duration timeout, Clock clock) {
        this.buildah = buildah;
        this.root = root;
        this.workDir = workDir;
        this.tlsVerify = !tlsVerifyDisabledUnsafe;
        this.authFile = authFile;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public String start(BuildRequest request) throws BuildException {
        String id = "buildah-" + clock.millis() + "-" + counter.incrementAndGet();
        BuildStatus status;
        try {
            status = build(id, request);
        } catch (IOException e) {
            status = new Failed(id, "buildah could not run: " + e.getMessage(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted while building " + request.target(), e);
        }
        builds.put(id, status);
        return id;
    }

    @Override
    public BuildStatus status(String buildId) throws BuildException {
        BuildStatus status = builds.get(buildId);
        if (status == null) {
            throw new BuildException("no buildah build '" + buildId + "' on this runner");
        }
        return status;
    }

    private BuildStatus build(String id, BuildRequest request) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(workDir.resolve(id));
        Path containerfile;
        Path context;
        if (request.definition() instanceof BuildDefinition.Containerfile c) {
            containerfile = c.containerfile();
            context = c.context();
        } else if (request.definition() instanceof BuildDefinition.Customised c) {
            context = dir.resolve("context");
            containerfile = ContainerfileGenerator.writeContext(c.customisation(), request.base().pinned(), context);
        } else {
            return new Failed(id, "buildah cannot run a " + request.definition().getClass().getSimpleName() + " build definition", "");
        }
        String localName = "localhost/gatehouse-rebuild/" + id;
        Path log = dir.resolve("build.log");
        List<String> bud = storage();
        bud.addAll(List.of("bud", "--isolation", "chroot", "--format", "oci", "--pull=always", "--tls-verify=" + tlsVerify,
                "-f", containerfile.toString(), "--from", request.base().pinned(), "-t", localName));
        authFile(bud);
        for (String key : List.of(BaseImageEvidence.BASE_NAME, BaseImageEvidence.BASE_DIGEST)) {
            String value = key.equals(BaseImageEvidence.BASE_NAME) ? request.base().name() : request.base().digest().toString();
            bud.addAll(List.of("--annotation", key + "=" + value, "--label", key + "=" + value));
        }
        for (Map.Entry<String, String> e : new TreeMap<>(request.environment()).entrySet()) {
            bud.addAll(List.of("--build-arg", e.getKey() + "=" + e.getValue()));
        }
        bud.add(context.toString());
        int exit = run(bud, log);
        if (exit != 0) {
            return new Failed(id, "buildah bud exited " + exit + ": " + ProcessLog.lastLine(log),
                    ProcessLog.tail(log, LOG_TAIL_LINES));
        }
        Path digestFile = dir.resolve("digest");
        List<String> push = storage();
        push.addAll(List.of("push", "--tls-verify=" + tlsVerify, "--digestfile", digestFile.toString()));
        authFile(push);
        push.addAll(List.of(localName, "docker://" + request.target()));
        exit = run(push, log);
        List<String> rmi = storage();
        rmi.addAll(List.of("rmi", "-f", localName));
        run(rmi, log);
        if (exit != 0) {
            return new Failed(id, "buildah push to " + request.target() + " exited " + exit + ": " + ProcessLog.lastLine(log),
                    ProcessLog.tail(log, LOG_TAIL_LINES));
        }
        Digest pushed;
        try {
            pushed = Digest.parse(Files.readString(digestFile, StandardCharsets.US_ASCII).strip());
        } catch (IOException | IllegalArgumentException e) {
            return new Failed(id, "buildah push wrote no usable digest file: " + e.getMessage(), ProcessLog.tail(log, LOG_TAIL_LINES));
        }
        return new Succeeded(id, request.targetRepository(), request.targetTag(), pushed, request.base(), clock.instant());
    }

    private List<String> storage() {
        return new ArrayList<>(List.of(buildah, "--storage-driver", "vfs", "--root", root.resolve("storage").toString(),
                "--runroot", root.resolve("run").toString()));
    }

    private void authFile(List<String> command) {
        if (authFile != null) {
            command.addAll(List.of("--authfile", authFile.toString()));
        }
    }

    private int run(List<String> command, Path log) throws IOException, InterruptedException {
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Files.writeString(log, "gatehouse: stopped after " + timeout + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            return -1;
        }
        return process.exitValue();
    }
}
