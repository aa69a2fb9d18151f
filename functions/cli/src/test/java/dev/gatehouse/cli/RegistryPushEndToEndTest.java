package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.handlers.push.testing.RegistryEnvelopes;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signing.LocalKeySigner;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real distribution registry with its notifications pointed at {@code gatehouse serve}: what the
 * registry reports when signed sample images are pushed becomes stored verdicts, without verifying
 * the same thing twice.
 */
class RegistryPushEndToEndTest {

    static final String SECRET = "e2e-shared-secret-" + UUID.randomUUID();
    static final LocalKeySigner SIGNER = LocalKeySigner.generate("sample-publisher");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    static LocalRegistry registry;
    static ServeFixture serve;

    @BeforeAll
    static void start() throws Exception {
        assumeFalse(Boolean.getBoolean("gatehouse.it.skip"), "registry integration tests skipped (gatehouse.it.skip=true)");
        assumeTrue(Files.isExecutable(Path.of(LocalRegistry.BINARY)), LocalRegistry.BINARY + " not installed: end-to-end test skipped");
        // The registry is configured with the webhook URL before gatehouse serve can know the
        // registry's port, so serve's port is chosen first; the registry retries until serve answers.
        int servePort = freePort();
        registry = LocalRegistry.anonymous().withNotifications(() -> URI.create("http://127.0.0.1:" + servePort + "/registry-push"),
                Map.of("Authorization", "Bearer " + SECRET));
        registry.start();
        SampleTrust.write(dir.resolve("trust"), SIGNER);
        Path secret = Files.writeString(dir.resolve("webhook-secret"), SECRET + "\n");
        serve = ServeFixture.start("--port", Integer.toString(servePort), "--plain-http-unsafe", registry.host(),
                "--trust-config", dir.resolve("trust").resolve(SampleTrust.TRUST_CONFIG).toString(),
                "--trusted-builders", dir.resolve("trust").resolve(SampleTrust.TRUSTED_BUILDERS).toString(),
                "--webhook-secret-file", secret.toString(), "--data-dir", dir.resolve("data").toString());
    }

    @AfterAll
    static void stop() {
        if (serve != null) {
            serve.close();
        }
        if (registry != null) {
            registry.stop();
        }
    }

    @Test
    void pushingASignedImageStoresItsVerdictAndRepeatsAreDuplicates() throws Exception {
        String path = "e2e/app-" + UUID.randomUUID().toString().substring(0, 8);
        OciRepository repository = registry.repository(path);
        SampleImages.Built built = new SampleImages(repository, SIGNER, Instant.now()).build(registry.host() + "/" + path, "v1", Set.of());
        Digest digest = built.image().digest();
        awaitHandled(digest, built.attachments());

        ResultStore.VerificationResult result = serve.context().results().latest(digest).orElseThrow();
        assertThat(result.decision()).isEqualTo(Decision.Outcome.ALLOW);
        assertThat(result.repository()).isEqualTo(registry.host() + "/" + path);
        assertThat(serve.context().graph().dependentsOfDigest("registry.gatehouse.test/gatehouse/base/static",
                Digest.parse("sha256:" + "b".repeat(64)))).as("image graph recorded by the listener")
                .anySatisfy(edge -> assertThat(edge.image().digest()).isEqualTo(digest));
        int verifications = verificationsOf(digest);
        assertThat(verifications).isBetween(1, 1 + built.attachments().size());

        Descriptor signatures = repository.cosignArtifact(digest, CosignTag.SIGNATURE).orElseThrow();
        repository.tag(signatures.digest(), CosignTag.SIGNATURE.tagFor(digest));
        repository.tag(digest, "v1-again");
        serve.awaitLine(line -> line.contains("\"result\":\"duplicate\"") && line.contains("\"attachment_digest\":\"" + signatures.digest()));
        serve.awaitLine(line -> line.contains("\"result\":\"duplicate\"") && line.contains("\"trigger\":\"image-pushed\"")
                && line.contains("@" + digest));

        HttpResponse<String> replay = post("/registry-push", RegistryEnvelopes.distributionPush(registry.host(), path, built.image(), "v1"),
                "Bearer " + SECRET);
        assertThat(replay.statusCode()).isEqualTo(200);
        JsonNode summary = UntrustedJson.parse(replay.body().getBytes(StandardCharsets.UTF_8), "summary");
        assertThat(summary.get("duplicate").asInt()).isEqualTo(1);
        assertThat(summary.get("verified").asInt()).isZero();
        assertThat(verificationsOf(digest)).isEqualTo(verifications);
    }

    @Test
    void pushingADefectiveImageStoresADenyWithItsViolation() throws Exception {
        String path = "e2e/root-" + UUID.randomUUID().toString().substring(0, 8);
        SampleImages.Built built = new SampleImages(registry.repository(path), SIGNER, Instant.now())
                .build(registry.host() + "/" + path, "v1", EnumSet.of(SampleDefect.ROOT_USER));
        awaitHandled(built.image().digest(), built.attachments());

        ResultStore.VerificationResult result = serve.context().results().latest(built.image().digest()).orElseThrow();
        assertThat(result.decision()).isEqualTo(Decision.Outcome.DENY);
        assertThat(result.violations()).extracting(v -> v.policy()).contains("GH-NONROOT");
    }

    @Test
    void refusesEnvelopesWithoutTheSharedSecret() throws Exception {
        byte[] envelope = RegistryEnvelopes.distributionPush(registry.host(), "e2e/none", new Descriptor(
                "application/vnd.oci.image.manifest.v1+json", Digest.sha256(new byte[] {1}), 10, null, null, null), "v1");

        assertThat(post("/registry-push", envelope, null).statusCode()).isEqualTo(401);
        assertThat(post("/registry-push", envelope, "Bearer wrong-secret-wrong-secret").statusCode()).isEqualTo(401);
    }

    @Test
    void theOperatorRoutesTakeTheSameSecret() throws Exception {
        // POST /scan makes the server reach a registry and GET /sla/report shows findings: neither is open when a secret is set.
        byte[] scan = ("{\"registry\": \"" + registry.host() + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(post("/scan", scan, null).statusCode()).isEqualTo(401);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(serve.uri() + "/sla/report")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(serve.uri() + "/sla/report"))
                .header("Authorization", "Bearer " + SECRET).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void eventsTakesEventBridgeEventsOnlyAndIgnoresNonPushes() throws Exception {
        String delete = new String(RegistryEnvelopes.ecrPush("team/app", "sha256:" + "a".repeat(64), "v1"), StandardCharsets.UTF_8)
                .replace("\"PUSH\"", "\"DELETE\"");

        HttpResponse<String> ignored = post("/events", delete.getBytes(StandardCharsets.UTF_8), "Bearer " + SECRET);
        assertThat(ignored.statusCode()).isEqualTo(200);
        assertThat(ignored.body()).contains("\"ignored\":1").contains("action-type DELETE is not a push");

        byte[] distribution = RegistryEnvelopes.distributionPush(registry.host(), "e2e/x", new Descriptor(
                "application/vnd.oci.image.manifest.v1+json", Digest.sha256(new byte[] {2}), 10, null, null, null), "v1");
        HttpResponse<String> wrongKind = post("/events", distribution, "Bearer " + SECRET);
        assertThat(wrongKind.statusCode()).isEqualTo(400);
        assertThat(wrongKind.body()).contains("/events takes an EventBridge ECR event");
        HttpResponse<String> malformed = post("/registry-push", "{\"events\": {}}".getBytes(StandardCharsets.UTF_8), "Bearer " + SECRET);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("distribution notification envelope at /events: expected an array");
    }

    /** Waits until serve has logged an outcome for the image push and for every attachment manifest pushed. */
    private static void awaitHandled(Digest image, List<Descriptor> attachments) throws InterruptedException {
        serve.awaitLine(line -> line.contains("\"message\":\"registry event\"") && line.contains("\"trigger\":\"image-pushed\"")
                && line.contains("@" + image));
        List<String> digests = new ArrayList<>();
        for (Descriptor attachment : attachments) {
            digests.add(attachment.digest().toString());
        }
        for (String attachment : digests) {
            serve.awaitLine(line -> line.contains("\"message\":\"registry event\"") && line.contains("\"attachment_digest\":\"" + attachment));
        }
    }

    private static int verificationsOf(Digest digest) {
        return (int) serve.lines().stream().filter(line -> line.contains("\"message\":\"registry event\"")
                && line.contains("\"result\":\"verified\"") && line.contains("@" + digest)).count();
    }

    private static HttpResponse<String> post(String path, byte[] body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(serve.uri() + path))
                .header("Content-Type", "application/vnd.docker.distribution.events.v1+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
