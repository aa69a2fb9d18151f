package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.oci.testing.TestImages;
import dev.gatehouse.ports.RegistryCredentials;
import dev.gatehouse.verify.EvidenceCollector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a misbehaving or hostile registry gets: one-line errors, retries, timeouts, no leaked credentials. */
class RegistryClientFaultsTest {

    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }

    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    private HttpServer serve(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            }
        });
        server.start();
        servers.add(server);
        return server;
    }

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private static String host(HttpServer server) {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static OciRepository repository(HttpServer server, RegistryClient.Options options, RegistryCredentials credentials) {
        return RegistryClient.create(host(server), credentials, options.withPlainHttpUnsafe(host(server))).repository("r");
    }

    private static OciRepository repository(HttpServer server) {
        return repository(server, RegistryClient.Options.defaults().withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(2)),
                RegistryCredentials.anonymous());
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static RegistryException.Kind kindOf(Throwable e) {
        return ((RegistryException) e).kind();
    }

    @Test
    void truncatedManifestIsMalformedWithPositionOnOneLine() throws Exception {
        byte[] full = TestImages.image().manifest().raw();
        byte[] truncated = Arrays.copyOf(full, full.length - 20);
        HttpServer server = serve(ex -> send(ex, 200, MediaTypes.OCI_MANIFEST, truncated));
        assertThatThrownBy(() -> repository(server).manifest(Digest.sha256(truncated)))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(RegistryException.Kind.MALFORMED))
                .hasMessageContaining("OCI manifest at line 1, column")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void wrongMediaTypesAreMalformed() throws Exception {
        byte[] config = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"layers\":[]}"
                .getBytes(StandardCharsets.UTF_8);
        HttpServer server = serve(ex -> send(ex, 200, "application/vnd.oci.image.config.v1+json", config));
        assertThatThrownBy(() -> repository(server).manifest(Digest.sha256(config)))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(RegistryException.Kind.MALFORMED))
                .hasMessageContaining("unsupported manifest media type 'application/vnd.oci.image.config.v1+json'");

        byte[] manifest = TestImages.image().manifest().raw();
        HttpServer lying = serve(ex -> send(ex, 200, MediaTypes.OCI_INDEX, manifest));
        assertThatThrownBy(() -> repository(lying).manifest(Digest.sha256(manifest)))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(RegistryException.Kind.MALFORMED))
                .hasMessageContaining("served as 'application/vnd.oci.image.index.v1+json'");
    }

    @Test
    void hugeManifestAnnouncedByItsLengthOrDescriptorIsTooLargeBeforeItIsRead() throws Exception {
        byte[] huge = new byte[Manifest.MAX_BYTES + 1024];
        Arrays.fill(huge, (byte) ' ');
        HttpServer announced = serve(ex -> send(ex, 200, MediaTypes.OCI_MANIFEST, huge));
        assertThatThrownBy(() -> repository(announced).manifest(Digest.sha256(huge)))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(RegistryException.Kind.TOO_LARGE))
                .hasMessageContaining("exceed the limit of " + Manifest.MAX_BYTES);
        Descriptor big = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(huge), huge.length, Map.of(), null, null);
        assertThatThrownBy(() -> repository(announced).manifest(big))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(RegistryException.Kind.TOO_LARGE));
    }

    /** What a streaming server got onto the wire, known once the client hung up (or it wrote everything). */
    private static final class Streamed {
        final CompletableFuture<Long> written = new CompletableFuture<>();
        final AtomicInteger hungUp = new AtomicInteger();

        /** Writes {@code total} filler bytes from one 64 KiB buffer, without a Content-Length: the test holds none of it. */
        void stream(HttpExchange exchange, String contentType, long total) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, 0);
            byte[] filler = new byte[64 * 1024];
            Arrays.fill(filler, (byte) ' ');
            long count = 0;
            try (OutputStream out = exchange.getResponseBody()) {
                while (count < total) {
                    int n = (int) Math.min(filler.length, total - count);
                    out.write(filler, 0, n);
                    count += n;
                }
            } catch (IOException e) {
                hungUp.incrementAndGet();
            } finally {
                written.complete(count);
            }
        }

        long awaitWritten() throws Exception {
            return written.get(60, TimeUnit.SECONDS);
        }
    }

    private static final long HUNDRED_MB = 100_000_000L;
    /** Loopback socket buffers (up to 32 MiB receive, 4 MiB send here) hold what the client never read. */
    private static final long SOCKET_BUFFERS = 40L << 20;

    @Test
    void aHundredMegabyteManifestIsRefusedAtTheLimitAndTheConnectionDropped() throws Exception {
        Streamed byDigest = new Streamed();
        HttpServer server = serve(ex -> byDigest.stream(ex, MediaTypes.OCI_MANIFEST, HUNDRED_MB));
        Digest digest = Digest.sha256("never served".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> repository(server).manifest(digest))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(RegistryException.Kind.TOO_LARGE))
                .hasMessage("127.0.0.1:" + server.getAddress().getPort() + "/r@" + digest + ": manifest: more than "
                        + Manifest.MAX_BYTES + " bytes (the limit)");
        assertThat(byDigest.awaitWritten()).as("bytes the server got out before the client hung up")
                .isLessThan(Manifest.MAX_BYTES + SOCKET_BUFFERS);
        assertThat(byDigest.hungUp.get()).isEqualTo(1);

        // By tag: the HEAD names no digest, so the manifest is read (bounded) to compute it.
        Streamed byTag = new Streamed();
        HttpServer tagged = serve(ex -> {
            if (ex.getRequestMethod().equals("HEAD")) {
                send(ex, 200, MediaTypes.OCI_MANIFEST, new byte[0]);
            } else {
                byTag.stream(ex, MediaTypes.OCI_MANIFEST, HUNDRED_MB);
            }
        });
        assertThatThrownBy(() -> repository(tagged).resolve("v1"))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(RegistryException.Kind.TOO_LARGE))
                .hasMessageEndingWith("/r:v1: manifest: more than " + Manifest.MAX_BYTES + " bytes (the limit)");
        assertThat(byTag.awaitWritten()).isLessThan(Manifest.MAX_BYTES + SOCKET_BUFFERS);
        assertThat(byTag.hungUp.get()).isEqualTo(1);
    }

    @Test
    void aHundredMegabyteConfigOrDocumentBlobIsRefusedAtItsLimitAndTheConnectionDropped() throws Exception {
        Streamed config = new Streamed();
        HttpServer server = serve(ex -> config.stream(ex, "application/octet-stream", HUNDRED_MB));
        Digest digest = Digest.sha256("never served".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> repository(server).blob(digest, ImageConfig.MAX_BYTES))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(RegistryException.Kind.TOO_LARGE))
                .hasMessageEndingWith("/r@" + digest + ": blob is larger than the limit of " + ImageConfig.MAX_BYTES + " bytes");
        assertThat(config.awaitWritten()).isLessThan(ImageConfig.MAX_BYTES + SOCKET_BUFFERS);
        assertThat(config.hungUp.get()).isEqualTo(1);

        // SBOMs and other attested documents have the largest limit (64 MiB); twice 100 MB leaves room for the socket buffers.
        Streamed document = new Streamed();
        HttpServer documents = serve(ex -> document.stream(ex, "application/octet-stream", 2 * HUNDRED_MB));
        assertThatThrownBy(() -> repository(documents).blob(digest, EvidenceCollector.MAX_DOCUMENT))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(RegistryException.Kind.TOO_LARGE))
                .hasMessageContaining("blob is larger than the limit of " + EvidenceCollector.MAX_DOCUMENT + " bytes");
        assertThat(document.awaitWritten()).isLessThan(EvidenceCollector.MAX_DOCUMENT + SOCKET_BUFFERS);
        assertThat(document.hungUp.get()).isEqualTo(1);
    }

    @Test
    void retriesHonourRetryAfterOn429And5xx() throws Exception {
        byte[] manifest = TestImages.image().manifest().raw();
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = serve(ex -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                ex.getResponseHeaders().set("Retry-After", "1");
                send(ex, 429, null, new byte[0]);
            } else if (n == 2) {
                send(ex, 503, null, new byte[0]);
            } else {
                send(ex, 200, MediaTypes.OCI_MANIFEST, manifest);
            }
        });
        long start = System.nanoTime();
        Manifest m = repository(server).manifest(Digest.sha256(manifest));
        assertThat(m.raw()).isEqualTo(manifest);
        assertThat(calls.get()).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void persistentServerErrorsAreUnavailableAfterRetries() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = serve(ex -> {
            calls.incrementAndGet();
            send(ex, 502, "application/json", "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"backend down\"}]}"
                    .getBytes(StandardCharsets.UTF_8));
        });
        assertThatThrownBy(() -> repository(server).resolve("v1"))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(RegistryException.Kind.UNAVAILABLE))
                .hasMessageContaining("HTTP 502");
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void stalledBodyFailsWithReadTimeout() throws Exception {
        byte[] blob = TestImages.randomBytes(100);
        HttpServer server = serve(ex -> {
            ex.sendResponseHeaders(200, blob.length);
            OutputStream out = ex.getResponseBody();
            out.write(blob, 0, 10);
            out.flush();
            Thread.sleep(3000);
            out.write(blob, 10, blob.length - 10);
            out.close();
        });
        RegistryClient.Options options = RegistryClient.Options.defaults()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(400))
                .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(10));
        assertThatThrownBy(() -> repository(server, options, RegistryCredentials.anonymous()).blob(Digest.sha256(blob), 1000))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(RegistryException.Kind.UNAVAILABLE))
                .hasMessageContaining("no data received for 400 ms");
    }

    @Test
    void redirectToAnotherHostDoesNotCarryCredentials() throws Exception {
        byte[] blob = TestImages.randomBytes(64);
        Digest digest = Digest.sha256(blob);
        List<String> storageSawAuth = new CopyOnWriteArrayList<>();
        HttpServer storage = serve(ex -> {
            storageSawAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            send(ex, 200, "application/octet-stream", blob);
        });
        HttpServer registry = serve(ex -> {
            if (ex.getRequestHeaders().getFirst("Authorization") == null) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"test\"");
                send(ex, 401, null, new byte[0]);
                return;
            }
            ex.getResponseHeaders().set("Location", "http://" + host(storage) + "/bucket/" + digest.hex() + "?sig=x");
            send(ex, 307, null, new byte[0]);
        });
        OciRepository repo = repository(registry, RegistryClient.Options.defaults(),
                StaticRegistryCredentials.basic(host(registry), "user", "secret"));
        assertThat(repo.blob(digest, 1000)).isEqualTo(blob);
        assertThat(storageSawAuth).containsExactly("null");
    }

    @Test
    void referrersApiIsUsedWhenTheRegistryHasIt() throws Exception {
        Digest subject = Digest.sha256(new byte[] {42});
        Descriptor sbom = Descriptor.of(MediaTypes.OCI_MANIFEST, new byte[] {1}).withArtifactType("application/spdx+json");
        Descriptor sig = Descriptor.of(MediaTypes.OCI_MANIFEST, new byte[] {2}).withArtifactType("application/vnd.dev.sigstore.bundle.v0.3+json");
        byte[] page1 = ImageIndex.build(List.of(sbom), null, Map.of()).raw();
        byte[] page2 = ImageIndex.build(List.of(sig), null, Map.of()).raw();
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer server = serve(ex -> {
            String path = ex.getRequestURI().toString();
            paths.add(path);
            if (path.equals("/v2/r/referrers/" + subject) || path.startsWith("/v2/r/referrers/" + subject + "?artifactType=")) {
                ex.getResponseHeaders().set("Link", "</v2/r/referrers/" + subject + "?page=2>; rel=\"next\"");
                send(ex, 200, MediaTypes.OCI_INDEX, page1);
            } else if (path.equals("/v2/r/referrers/" + subject + "?page=2")) {
                send(ex, 200, MediaTypes.OCI_INDEX, page2);
            } else {
                send(ex, 404, null, new byte[0]);
            }
        });
        OciRepository repo = repository(server);
        assertThat(repo.referrers(subject, null)).containsExactly(sbom, sig);
        assertThat(repo.referrers(subject, "application/spdx+json")).containsExactly(sbom);
        assertThat(paths).noneMatch(p -> p.contains("/manifests/"));
    }
}
