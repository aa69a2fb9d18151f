package dev.gatehouse.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.signing.LocalKeySigner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleImagesTest {

    @TempDir
    Path dir;

    @Test
    void compliantSampleCarriesSignatureAndFourAttestations() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        var built = new SampleImages(layout, LocalKeySigner.generate("sample"), Instant.parse("2026-11-26T12:00:00Z"))
                .build("registry.gatehouse.test/sample/app", "compliant", Set.of());

        assertThat(layout.resolve("compliant").digest()).isEqualTo(built.image().digest());
        var att = (ImageManifest) layout.manifest(layout.cosignArtifact(built.image().digest(), CosignTag.ATTESTATION).orElseThrow());
        assertThat(att.layers()).extracting(l -> l.annotation("predicateType")).containsExactly(
                SampleImages.SLSA_PROVENANCE_V1, SampleImages.CYCLONEDX_BOM, SampleImages.COSIGN_VULN, SampleImages.OPENVEX);
        assertThat(layout.cosignArtifact(built.image().digest(), CosignTag.SIGNATURE)).isPresent();
        var image = (ImageManifest) layout.manifest(built.image().digest());
        var config = UntrustedJson.parse(layout.blob(image.config().digest(), 1 << 20), "config");
        assertThat(config.at("/config/User").asText()).isEqualTo("65532:65532");
    }

    @Test
    void defectsChangeExactlyTheirEvidence() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        var samples = new SampleImages(layout, LocalKeySigner.generate("sample"), Instant.now());
        var unsigned = samples.build("app", "unsigned", EnumSet.of(SampleDefect.UNSIGNED, SampleDefect.MISSING_SBOM));
        assertThat(layout.cosignArtifact(unsigned.image().digest(), CosignTag.SIGNATURE)).isEmpty();
        var att = (ImageManifest) layout.manifest(layout.cosignArtifact(unsigned.image().digest(), CosignTag.ATTESTATION).orElseThrow());
        assertThat(att.layers()).extracting(l -> l.annotation("predicateType")).doesNotContain(SampleImages.CYCLONEDX_BOM);
        var root = samples.build("app", "root", EnumSet.of(SampleDefect.ROOT_USER));
        var image = (ImageManifest) layout.manifest(root.image().digest());
        assertThat(UntrustedJson.parse(layout.blob(image.config().digest(), 1 << 20), "config").at("/config/User").asText()).isEmpty();
    }
}
