package dev.gatehouse.lambda.signing;

import dev.gatehouse.aws.EcrRegistryCredentials;
import dev.gatehouse.aws.KmsSigner;
import dev.gatehouse.handlers.admission.FastPath;
import dev.gatehouse.lambda.GatehouseConfig;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.RegistryClient;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.vsa.VsaFastPath;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The signing side of the functions: admission's VSA fast path, verified with the public key of
 * the Gatehouse KMS key (read once per Lambda instance with GetPublicKey; SnapStart captures it).
 * A key that cannot be read turns the fast path off (logged as an error); admission still decides.
 */
@ApplicationScoped
public class SigningProducers {

    private static final Logger LOG = Logger.getLogger(SigningProducers.class);

    @Produces
    @Singleton
    FastPath vsaFastPath(SigningSettings signing, GatehouseConfig config) {
        RegistryClient.Options options = RegistryClient.Options.defaults()
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(5))
                .withRetries(1, Duration.ofMillis(100), Duration.ofSeconds(1))
                .withPlainHttpUnsafe(config.registry().plainHttpUnsafe().orElse(List.of()).toArray(String[]::new));
        return fastPath(signing, new OciRepositories(EcrRegistryCredentials.withDefaultClients(), options),
                settings -> KmsSigner.client(settings.kmsEndpoint().orElse(null), null), Clock.systemUTC());
    }

    /** The fast path for {@code signing}: none without a key, else VSAs verified with the key's public half. */
    static FastPath fastPath(SigningSettings signing, OciRepositories repositories, Function<SigningSettings, KmsClient> kms, Clock clock) {
        if (signing.keyId().isEmpty() || signing.keyId().get().isBlank()) {
            LOG.info("admission VSA fast path off: no signing key (GATEHOUSE_SIGNING_KEY_ID)");
            return FastPath.NONE;
        }
        KmsSigner key;
        // Only the public key is needed here: the client is not kept.
        try (KmsClient client = kms.apply(signing)) {
            key = KmsSigner.connect(client, signing.keyId().get());
        } catch (Signer.SigningException | RuntimeException e) {
            // A fast path may only save time: without its key, admission runs the full pipeline.
            LOG.errorf("admission VSA fast path off: %s", e.getMessage());
            return FastPath.NONE;
        }
        LOG.infof("admission VSA fast path on: verifier %s, key %s, maximum age %s", signing.verifierId(), key.keyId(), signing.vsaMaxAge());
        return new VsaFastPath(repositories, new VsaFastPath.Settings(signing.verifierId(), key.publicKey(), key.keyId(),
                signing.vsaMaxAge()), clock);
    }
}
