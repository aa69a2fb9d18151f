package dev.gatehouse.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The CNCF distribution registry (Debian's {@code /usr/bin/docker-registry}) run as a child process
 * on 127.0.0.1 and a free port, storing under a directory the caller owns: the registry that
 * {@code gatehouse bench} measures against and the tests' {@code LocalRegistry} starts.
 */
public final class DistributionRegistryProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration READY_WITHIN = Duration.ofSeconds(20);

    private final Process process;
    private final int port;

    private DistributionRegistryProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** An anonymous plain-HTTP registry storing under {@code dir}. */
    public static DistributionRegistryProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, "", "", null);
    }

    /**
     * Writes {@code dir/config.yml} (storage under {@code dir/data}, deletes enabled, access log off)
     * and starts the registry, returning once {@code /v2/} answers.
     *
     * @param httpOptions YAML lines under {@code http:} after the address, indented two spaces (e.g. {@code tls:})
     * @param sections top-level YAML sections (e.g. {@code auth:}, {@code notifications:})
     * @param tls the context that trusts the registry's certificate when {@code httpOptions} turn TLS on, else null
     */
    public static DistributionRegistryProcess start(Path dir, String httpOptions, String sections, SSLContext tls)
            throws IOException, InterruptedException {
        int port = freePort();
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String config = "version: 0.1\n"
                + "log:\n  level: error\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("data") + "\n"
                + "  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n"
                + "  secret: " + HexFormat.of().formatHex(secret) + "\n"
                + httpOptions + sections;
        Path configFile = dir.resolve("config.yml");
        Files.writeString(configFile, config);
        Path log = dir.resolve("registry.log");
        Process process = new ProcessBuilder(BINARY.toString(), "serve", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        DistributionRegistryProcess registry = new DistributionRegistryProcess(process, port);
        try {
            registry.awaitReady(log, tls);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // Not ready, or the caller was interrupted while waiting: no registry outlives the failed start.
            registry.close();
            throw e;
        }
        return registry;
    }

    private void awaitReady(Path log, SSLContext tls) throws IOException, InterruptedException {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500));
        if (tls != null) {
            builder.sslContext(tls);
        }
        HttpClient http = builder.build();
        URI ping = URI.create((tls != null ? "https://" : "http://") + host() + "/v2/");
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited with " + process.exitValue() + ": " + tail(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 || r.statusCode() == 401) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("docker-registry did not answer on " + host() + " within " + READY_WITHIN.toSeconds() + " s: " + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** {@code 127.0.0.1:PORT}, the registry host as references name it. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** Stops the registry (its directory stays: the caller owns it). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A loopback port that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
