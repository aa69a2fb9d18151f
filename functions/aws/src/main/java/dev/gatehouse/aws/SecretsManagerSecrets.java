package dev.gatehouse.aws;

import dev.gatehouse.ports.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Secret strings from AWS Secrets Manager, kept for a while so a warm function does not ask on every
 * invocation, and read again after {@code refresh} so a rotated secret is picked up.
 */
public final class SecretsManagerSecrets {

    private record Cached(String value, Instant readAt) {}

    private final SecretsManagerClient client;
    private final Clock clock;
    private final Duration refresh;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public SecretsManagerSecrets(SecretsManagerClient client, Clock clock, Duration refresh) {
        this.client = client;
        this.clock = clock;
        this.refresh = refresh;
    }

    /** The {@code SecretString} of {@code secretId} (an ARN or name); binary secrets are refused. */
    public String secretString(String secretId) {
        Instant now = clock.instant();
        Cached cached = cache.get(secretId);
        if (cached != null && cached.readAt().plus(refresh).isAfter(now)) {
            return cached.value();
        }
        GetSecretValueResponse response;
        try {
            response = client.getSecretValue(b -> b.secretId(secretId));
        } catch (SdkException e) {
            throw new StoreException("Secrets.get", "secret " + secretId + ": " + e.getMessage(), e);
        }
        if (response.secretString() == null) {
            throw new StoreException("Secrets.get", "secret " + secretId + " holds no SecretString (binary secrets are not supported)");
        }
        cache.put(secretId, new Cached(response.secretString(), now));
        return response.secretString();
    }
}
