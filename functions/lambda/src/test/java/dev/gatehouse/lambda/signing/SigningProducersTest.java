package dev.gatehouse.lambda.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.aws.testing.KmsStub;
import dev.gatehouse.handlers.admission.FastPath;
import dev.gatehouse.lambda.testing.TestSigningSettings;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.vsa.VsaEmitter;
import dev.gatehouse.vsa.VsaFastPath;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The fast path is built from the KMS key's public half, read over KMS's wire protocol from a loopback stub. */
class SigningProducersTest {

    @Test
    void withoutASigningKeyThereIsNoFastPath() throws Exception {
        assertThat(SigningProducers.fastPath(TestSigningSettings.of(null), OciRepositories.anonymous(), s -> {
            throw new AssertionError("KMS asked without a key");
        }, Clock.systemUTC())).isSameAs(FastPath.NONE);
    }

    @Test
    void withASigningKeyVsasAreVerifiedWithItsPublicKey() throws Exception {
        try (KmsStub kms = KmsStub.start()) {
            FastPath fast = SigningProducers.fastPath(TestSigningSettings.of(KmsStub.ALIAS), OciRepositories.anonymous(), s -> kms.client(),
                    Clock.systemUTC());
            assertThat(fast).isInstanceOf(VsaFastPath.class);
            assertThat(kms.targets()).containsExactly("TrentService.GetPublicKey");
        }
    }

    @Test
    void vsasAreEmittedOnlyWithAUsableSigningKey() throws Exception {
        Digest trust = Digest.sha256(new byte[] {1});
        assertThat(SigningProducers.emitter(TestSigningSettings.of(null), OciRepositories.anonymous(), null, trust, r -> null, s -> {
            throw new AssertionError("KMS asked without a key");
        })).isNotInstanceOf(VsaEmitter.class);
        try (KmsStub kms = KmsStub.start()) {
            assertThat(SigningProducers.emitter(TestSigningSettings.of(KmsStub.ALIAS), OciRepositories.anonymous(), null, trust, r -> null,
                    s -> kms.client())).isInstanceOf(VsaEmitter.class);
            assertThat(SigningProducers.emitter(TestSigningSettings.of("alias/missing"), OciRepositories.anonymous(), null, trust, r -> null,
                    s -> kms.client())).isNotInstanceOf(VsaEmitter.class);
        }
    }

    @Test
    void anUnusableKeyLeavesAdmissionOnTheFullPipeline() throws Exception {
        try (KmsStub kms = KmsStub.start()) {
            assertThat(SigningProducers.fastPath(TestSigningSettings.of("alias/missing"), OciRepositories.anonymous(), s -> kms.client(),
                    Clock.systemUTC())).isSameAs(FastPath.NONE);
        }
    }
}
