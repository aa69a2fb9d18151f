package dev.gatehouse.cli;

import static dev.gatehouse.handlers.admission.AdmissionReviews.Container.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.aws.DynamoDbFindingLedger;
import dev.gatehouse.aws.DynamoDbIdempotencyKeys;
import dev.gatehouse.aws.DynamoDbImageGraph;
import dev.gatehouse.aws.DynamoDbResultStore;
import dev.gatehouse.aws.DynamoDbVerdictCache;
import dev.gatehouse.aws.testing.LocalAwsServices;
import dev.gatehouse.handlers.admission.AdmissionReviews;
import dev.gatehouse.handlers.push.testing.RegistryEnvelopes;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signing.LocalKeySigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse serve --dynamodb-endpoint} against DynamoDB Local: the table is created on first
 * start, and what one server stored (results, idempotency keys, admission verdicts, the image
 * graph) is what the next server on the same table answers from, even with the registry gone.
 */
@ExtendWith(LocalAwsServices.class)
class ServeDynamoDbTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void resultsIdempotencyKeysAndVerdictsOutliveTheServer() throws Exception {
        assumeFalse(Boolean.getBoolean("gatehouse.it.skip"), "registry integration tests skipped (gatehouse.it.skip=true)");
        assumeTrue(Files.isExecutable(Path.of(LocalRegistry.BINARY)), LocalRegistry.BINARY + " not installed: test skipped");
        String endpoint = LocalAwsServices.Services.endpoint(LocalAwsServices.dynamoDb());
        String table = "serve-" + UUID.randomUUID();
        LocalKeySigner signer = LocalKeySigner.generate("sample-publisher");
        SampleTrust.write(dir.resolve("trust"), signer);
        LocalRegistry registry = LocalRegistry.anonymous();
        registry.start();
        try {
            String path = "serve/app";
            SampleImages.Built built = new SampleImages(registry.repository(path), signer, Instant.now())
                    .build(registry.host() + "/" + path, "v1", Set.of());
            byte[] push = RegistryEnvelopes.distributionPush(registry.host(), path, built.image(), "v1");
            byte[] review = AdmissionReviews.bytes(AdmissionReviews.pod("prod",
                    app("web", registry.host() + "/" + path + "@" + built.image().digest())));
            // The longest deadline: the first verification must decide (and be cached) even on a loaded machine.
            Path admission = Files.writeString(dir.resolve("admission.yaml"), "deadline: 29s\n");
            String[] flags = {"--admission-config", admission.toString(), "--dynamodb-endpoint", endpoint, "--dynamodb-table", table,
                "--plain-http-unsafe", registry.host(),
                "--trust-config", dir.resolve("trust").resolve(SampleTrust.TRUST_CONFIG).toString(),
                "--trusted-builders", dir.resolve("trust").resolve(SampleTrust.TRUSTED_BUILDERS).toString(),
                "--data-dir", dir.resolve("data").toString()};

            try (ServeFixture first = ServeFixture.start(flags)) {
                assertThat(first.context().results()).isInstanceOf(DynamoDbResultStore.class);
                assertThat(first.context().idempotency()).isInstanceOf(DynamoDbIdempotencyKeys.class);
                assertThat(first.context().verdicts()).isInstanceOf(DynamoDbVerdictCache.class);
                assertThat(first.context().graph()).isInstanceOf(DynamoDbImageGraph.class);
                assertThat(first.context().findings()).isInstanceOf(DynamoDbFindingLedger.class);
                assertThat(json(post(first, "/registry-push", push)).path("verified").asInt()).isEqualTo(1);
                assertThat(json(post(first, "/validate", review)).at("/response/allowed").asBoolean()).isTrue();
            }

            try (ServeFixture second = ServeFixture.start(flags)) {
                JsonNode replay = json(post(second, "/registry-push", push));
                assertThat(replay.path("duplicate").asInt()).as(replay.toString()).isEqualTo(1);
                assertThat(replay.path("verified").asInt()).isZero();
                assertThat(second.context().results().latest(built.image().digest()).orElseThrow().decision())
                        .isEqualTo(Decision.Outcome.ALLOW);
                assertThat(second.context().graph().dependentsOfDigest("registry.gatehouse.test/gatehouse/base/static",
                        Digest.parse("sha256:" + "b".repeat(64)))).as("image graph recorded by the first server")
                        .anySatisfy(edge -> assertThat(edge.image().digest()).isEqualTo(built.image().digest()));

                registry.stop();
                JsonNode admitted = json(post(second, "/validate", review));
                assertThat(admitted.at("/response/allowed").asBoolean()).as("answered from the DynamoDB verdict cache: " + admitted)
                        .isTrue();
                assertThat(json(get(second, "/sla/report")).isObject()).isTrue();
            }
        } finally {
            registry.stop();
        }
    }

    private static HttpResponse<String> post(ServeFixture serve, String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(serve.uri() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(ServeFixture serve, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(serve.uri() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return UntrustedJson.parse(response.body(), "response");
    }
}
