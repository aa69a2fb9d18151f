package dev.gatehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.TestClock;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * GetSecretValue against a stub endpoint on loopback speaking Secrets Manager's JSON 1.1 wire
 * format (there is no local Secrets Manager here).
 */
class SecretsManagerSecretsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private SecretsManagerClient client;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String response = "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:hook-AbCdEf\","
            + "\"Name\":\"hook\",\"SecretString\":\"first-secret-value\",\"VersionId\":\"v1\"}";
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T00:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
                requests.add(JSON.readTree(exchange.getRequestBody()));
                byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
        client = SecretsManagerClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void readsTheSecretStringOnceUntilTheRefreshInterval() {
        SecretsManagerSecrets secrets = new SecretsManagerSecrets(client, clock, Duration.ofMinutes(5));
        String arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:hook-AbCdEf";

        assertThat(secrets.secretString(arn)).isEqualTo("first-secret-value");
        assertThat(secrets.secretString(arn)).isEqualTo("first-secret-value");
        assertThat(requests).hasSize(1);
        assertThat(targets.get(0)).isEqualTo("secretsmanager.GetSecretValue");
        assertThat(requests.get(0).get("SecretId").asText()).isEqualTo(arn);

        response = response.replace("first-secret-value", "rotated-secret-value");
        clock.advance(Duration.ofMinutes(6));
        assertThat(secrets.secretString(arn)).isEqualTo("rotated-secret-value");
    }

    @Test
    void aMissingSecretIsAStoreFailureNamingIt() {
        status = 400;
        response = "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Secrets Manager can't find the specified secret.\"}";

        assertThatThrownBy(() -> new SecretsManagerSecrets(client, clock, Duration.ofMinutes(5)).secretString("hook"))
                .isInstanceOf(StoreException.class).hasMessageContaining("secret hook").hasMessageContaining("can't find");
    }

    @Test
    void aBinarySecretIsRefused() {
        response = "{\"ARN\":\"a\",\"Name\":\"hook\",\"SecretBinary\":\"AAEC\"}";

        assertThatThrownBy(() -> new SecretsManagerSecrets(client, clock, Duration.ofMinutes(5)).secretString("hook"))
                .hasMessageContaining("no SecretString");
    }
}
