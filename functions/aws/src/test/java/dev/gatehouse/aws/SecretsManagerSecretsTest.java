package dev.gatehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.aws.testing.AwsJsonServer;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * GetSecretValue against a stub endpoint on loopback speaking Secrets Manager's JSON 1.1 wire
 * format (there is no local Secrets Manager here).
 */
class SecretsManagerSecretsTest {

    private volatile int status = 200;
    private volatile String response = "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:hook-AbCdEf\","
            + "\"Name\":\"hook\",\"SecretString\":\"first-secret-value\",\"VersionId\":\"v1\"}";
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T00:00:00Z"));
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private AwsJsonServer server;
    private SecretsManagerClient client;

    @BeforeEach
    void start() throws Exception {
        server = AwsJsonServer.start((target, request) -> {
            targets.add(target);
            requests.add(request);
            return new AwsJsonServer.Reply(status, response, null);
        });
        client = server.configure(SecretsManagerClient.builder()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
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
