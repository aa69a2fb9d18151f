package dev.gatehouse.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.Manifest;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.vex.VexPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** End to end against the real distribution registry: the same images give the same verdicts as from a layout. */
class RegistryVerificationTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(8);

    @TempDir
    Path dir;

    @AfterAll
    static void shutdown() {
        EXECUTOR.shutdownNow();
    }

    @Test
    void registryAndLayoutGiveTheSameVerdicts() throws Exception {
        LocalKeySigner signer = LocalKeySigner.generate("sample-publisher");
        SampleTrust.write(dir.resolve("trust"), signer);
        OciLayout layout = OciLayout.openOrCreate(dir.resolve("layout"));
        SampleImages samples = new SampleImages(layout, signer, NOW);
        samples.build("registry.gatehouse.test/samples/app", "compliant", Set.of());
        samples.build("registry.gatehouse.test/samples/app", "root", EnumSet.of(SampleDefect.ROOT_USER));
        samples.build("registry.gatehouse.test/samples/app", "unsigned", EnumSet.of(SampleDefect.UNSIGNED));
        OciRepository remote = REGISTRY.repository("samples/app");
        for (String tag : layout.tags()) {
            copy(layout, remote, tag);
        }

        VerificationPipeline pipeline = new VerificationPipeline(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()),
                TrustConfig.read(dir.resolve("trust").resolve(SampleTrust.TRUST_CONFIG)),
                TrustedBuilders.parse(Files.readAllBytes(dir.resolve("trust").resolve(SampleTrust.TRUSTED_BUILDERS))),
                PolicyBundle.hardened(), VexPolicy.defaults(), Clock.fixed(NOW, ZoneOffset.UTC), EXECUTOR, s -> { });

        for (String tag : new String[] {"compliant", "root", "unsigned"}) {
            VerificationReport viaRegistry = pipeline.verify(VerificationRequest.of(
                    ImageReference.parse(REGISTRY.host() + "/samples/app:" + tag), "push"));
            VerificationReport viaLayout = pipeline.verify(VerificationRequest.of(
                    ImageReference.parse("oci:" + dir.resolve("layout") + ":" + tag), "cli"));
            assertThat(viaRegistry.digest()).isEqualTo(viaLayout.digest());
            assertThat(viaRegistry.decision().outcome()).as(tag).isEqualTo(viaLayout.decision().outcome());
            assertThat(viaRegistry.decision().denials()).extracting(Violation::policy)
                    .containsExactlyElementsOf(viaLayout.decision().denials().stream().map(Violation::policy).toList());
        }
        assertThat(pipeline.verify(VerificationRequest.of(ImageReference.parse(REGISTRY.host() + "/samples/app:compliant"), "push"))
                .decision().allowed()).isTrue();
        assertThat(pipeline.verify(VerificationRequest.of(ImageReference.parse(REGISTRY.host() + "/samples/app:root"), "push"))
                .decision().denials()).extracting(Violation::policy).containsExactly("GH-NONROOT");
    }

    /** Copies a tagged manifest with its blobs byte for byte, so digests and signatures stay valid. */
    private static void copy(OciRepository from, OciRepository to, String tag) throws Exception {
        Descriptor top = from.resolve(tag);
        Manifest manifest = from.manifest(top);
        if (manifest instanceof ImageManifest m) {
            to.putBlob(from.blob(m.config().digest(), 64 << 20), m.config().mediaType());
            for (Descriptor layer : m.layers()) {
                to.putBlob(from.blob(layer.digest(), 64 << 20), layer.mediaType());
            }
        }
        to.putManifest(manifest, tag);
    }
}
