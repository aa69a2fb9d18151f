package dev.gatehouse.lambda.rebuild;

import dev.gatehouse.aws.KmsSigner;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.lambda.signing.SigningSettings;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.rebuild.BuildAttachedSbom;
import dev.gatehouse.rebuild.BuiltImageListener;
import dev.gatehouse.rebuild.HardeningException;
import dev.gatehouse.rebuild.RebuildCatalog;
import dev.gatehouse.rebuild.RebuildHardener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The after-build hook of the functions: rebuilt images are hardened with the Gatehouse KMS key
 * ({@code GATEHOUSE_SIGNING_KEY_ID}, the key that signs VSAs), the CodeBuild builder id in their
 * provenance, and the SBOM the CodeBuild build made with cdxgen and attached as a referrer
 * ({@link BuildAttachedSbom}; cdxgen cannot run inside Lambda). Without a usable key every
 * rebuild's hardening fails loudly (logged and published by the rebuilder), and the unsigned
 * rebuild is denied by the gate.
 */
@ApplicationScoped
public class HardeningProducers {

    private static final Logger LOG = Logger.getLogger(HardeningProducers.class);

    @Produces
    @Singleton
    BuiltImageListener rebuildHardener(SigningSettings signing, RebuildCatalog catalog, OciRepositories repositories, JsonLog log) {
        return hardener(signing, catalog, repositories, settings -> KmsSigner.client(settings.kmsEndpoint().orElse(null), null),
                message -> log.info(message, Map.of()));
    }

    /** The hardener for {@code signing}, or without a usable key one that refuses every rebuild with the reason. */
    static BuiltImageListener hardener(SigningSettings signing, RebuildCatalog catalog, OciRepositories repositories,
                                       Function<SigningSettings, KmsClient> kms, Consumer<String> log) {
        if (signing.keyId().isEmpty() || signing.keyId().get().isBlank()) {
            LOG.warn("rebuilds are not hardened: no signing key (GATEHOUSE_SIGNING_KEY_ID); the gate denies them unsigned");
            return refusing("no signing key (GATEHOUSE_SIGNING_KEY_ID)");
        }
        KmsSigner signer;
        try {
            signer = KmsSigner.connect(kms.apply(signing), signing.keyId().get());
        } catch (Signer.SigningException | RuntimeException e) {
            LOG.errorf("rebuilds are not hardened: %s", e.getMessage());
            return refusing(e.getMessage());
        }
        LOG.infof("rebuilds are hardened: key %s, builder %s, SBOM attached by the build", signer.keyId(), RebuildHardener.CODEBUILD_BUILDER_ID);
        return new RebuildHardener(repositories, signer, new BuildAttachedSbom(), () -> catalog, RebuildHardener.CODEBUILD_BUILDER_ID, log);
    }

    private static BuiltImageListener refusing(String reason) {
        return (request, result) -> {
            throw new HardeningException(result.repository() + "@" + result.pushedDigest() + " is not hardened: " + reason);
        };
    }
}
