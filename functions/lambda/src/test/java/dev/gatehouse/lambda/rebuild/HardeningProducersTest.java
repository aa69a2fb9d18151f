package dev.gatehouse.lambda.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.aws.testing.KmsStub;
import dev.gatehouse.lambda.testing.TestSigningSettings;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.rebuild.BuildDefinition;
import dev.gatehouse.rebuild.BuiltImageListener;
import dev.gatehouse.rebuild.HardeningException;
import dev.gatehouse.rebuild.RebuildCatalog;
import dev.gatehouse.rebuild.RebuildHardener;
import dev.gatehouse.rebuild.RebuildSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Lambda hardener signs with the KMS key, read over KMS's documented JSON protocol from a loopback stub. */
class HardeningProducersTest {

    static final RebuildCatalog CATALOG = new RebuildCatalog(List.of(), RebuildSettings.DEFAULTS);

    @Test
    void withASigningKeyRebuildsAreHardenedWithItAsTheCodeBuildBuilder() throws Exception {
        try (KmsStub kms = KmsStub.start()) {
            BuiltImageListener listener = HardeningProducers.hardener(TestSigningSettings.of(KmsStub.ALIAS), CATALOG, OciRepositories.anonymous(),
                    s -> kms.client(), s -> { });
            assertThat(listener).isInstanceOf(RebuildHardener.class);
            assertThat(kms.targets()).containsExactly("TrentService.GetPublicKey");
        }
    }

    @Test
    void withoutASigningKeyEveryRebuildFailsItsHardeningNamingTheVariable() {
        BuiltImageListener listener = HardeningProducers.hardener(TestSigningSettings.of(null), CATALOG, OciRepositories.anonymous(), s -> {
            throw new AssertionError("KMS asked without a key");
        }, s -> { });

        BuildRunner.BaseImage base = new BuildRunner.BaseImage("registry.test/platform/base", "1", Digest.sha256("b".getBytes(StandardCharsets.UTF_8)));
        BuildRunner.BuildRequest request = new BuildRunner.BuildRequest(new BuildDefinition.CodeBuildProject("gatehouse-rebuild-app", null, null,
                null), base, "registry.test/payments/app", "1", Map.of(), 1);
        BuildRunner.Succeeded result = new BuildRunner.Succeeded("gatehouse-rebuild-app:1", "registry.test/payments/app", "1",
                Digest.sha256("a".getBytes(StandardCharsets.UTF_8)), base, Instant.now());
        assertThatThrownBy(() -> listener.onBuilt(request, result)).isInstanceOf(HardeningException.class)
                .hasMessageContaining("is not hardened").hasMessageContaining("GATEHOUSE_SIGNING_KEY_ID");
    }
}
