package dev.gatehouse.lambda.testing;

import dev.gatehouse.lambda.signing.SigningSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Signing settings for producer tests: the given KMS key (or none), a test verifier id, the region's KMS endpoint. */
public final class TestSigningSettings {

    private TestSigningSettings() {}

    public static SigningSettings of(String keyId) {
        return new SigningSettings() {
            @Override
            public Optional<String> keyId() {
                return Optional.ofNullable(keyId);
            }

            @Override
            public String verifierId() {
                return "https://gatehouse.test/verifier";
            }

            @Override
            public Duration vsaMaxAge() {
                return Duration.ofHours(6);
            }

            @Override
            public Optional<URI> kmsEndpoint() {
                return Optional.empty();
            }
        };
    }
}
