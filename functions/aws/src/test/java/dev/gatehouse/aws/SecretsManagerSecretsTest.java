package dev.gatehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.aws.testing.AwsJsonStub;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.TestClock;
import java.time.Duration;
import java.time.Instant;
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
    private AwsJsonStub stub;
    private SecretsManagerClient client;

    @BeforeEach
    void start() {
        stub = AwsJsonStub.start(request -> new AwsJsonStub.Answer(status, response, null));
        client = stub.configure(SecretsManagerClient.builder()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        stub.close();
    }

    @Test
    void readsTheSecretStringOnceUntilTheRefreshInterval() {
        SecretsManagerSecrets secrets = new SecretsManagerSecrets(client, clock, Duration.ofMinutes(5));
        String arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:hook-AbCdEf";

        assertThat(secrets.secretString(arn)).isEqualTo("first-secret-value");
        assertThat(secrets.secretString(arn)).isEqualTo("first-secret-value");
        assertThat(stub.requests()).hasSize(1);
        assertThat(stub.requests().get(0).target()).isEqualTo("secretsmanager.GetSecretValue");
        assertThat(stub.requests().get(0).json().get("SecretId").asText()).isEqualTo(arn);

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
