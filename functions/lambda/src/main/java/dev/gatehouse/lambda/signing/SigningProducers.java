package dev.gatehouse.lambda.signing;

import dev.gatehouse.aws.EcrRegistryCredentials;
import dev.gatehouse.aws.KmsSigner;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.admission.FastPath;
import dev.gatehouse.lambda.GatehouseConfig;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.RegistryClient;
import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.vsa.VerificationSummary;
import dev.gatehouse.vsa.VsaEmitter;
import dev.gatehouse.vsa.VsaFastPath;
import dev.gatehouse.vsa.VsaPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The signing side of the functions: the VSA emitter registry-push calls after each stored result
 * (signing with the Gatehouse KMS key; built by PushProducers, so no other function emits VSAs),
 * and admission's VSA fast path, verified with that key's
 * public half (read once per Lambda instance with GetPublicKey; SnapStart captures it). A key that
 * cannot be read turns either off (logged as an error): neither may change or block a verdict.
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

    /** The emitter for {@code signing}: none without a key, else VSAs signed by the KMS key and attached to each verified image. */
    public static VerificationListener emitter(SigningSettings signing, OciRepositories repositories, IdempotencyKeys idempotency, Digest trust,
                                        Function<String, VerificationSummary.ResourceDescriptor> policyByRevision,
                                        Function<SigningSettings, KmsClient> kms) {
        if (signing.keyId().isEmpty() || signing.keyId().get().isBlank()) {
            LOG.info("VSA emission off: no signing key (GATEHOUSE_SIGNING_KEY_ID)");
            return image -> { };
        }
        KmsSigner signer;
        try {
            signer = KmsSigner.connect(kms.apply(signing), signing.keyId().get());
        } catch (Signer.SigningException | RuntimeException e) {
            LOG.errorf("VSA emission off: %s", e.getMessage());
            return image -> { };
        }
        LOG.infof("VSA emission on: verifier %s, key %s", signing.verifierId(), signer.keyId());
        return new VsaEmitter(repositories, new VsaPublisher(signer), new VsaEmitter.Settings(signing.verifierId(),
                Map.of("gatehouse", VsaEmitter.class.getPackage().getImplementationVersion() == null ? "dev"
                        : VsaEmitter.class.getPackage().getImplementationVersion()), trust, policyByRevision), idempotency);
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
