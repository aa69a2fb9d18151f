package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ManifestTest {

    @Test
    void keepsExactBytesAndDigest() throws Exception {
        ImageManifest built = TestImages.image().manifest();
        String pretty = new String(built.raw(), StandardCharsets.UTF_8).replace(",", ",\n  ");
        byte[] raw = pretty.getBytes(StandardCharsets.UTF_8);
        Manifest parsed = Manifest.parse(raw, null);
        assertThat(parsed).isInstanceOf(ImageManifest.class);
        assertThat(parsed.raw()).isEqualTo(raw);
        assertThat(parsed.digest()).isEqualTo(Digest.sha256(raw));
        assertThat(parsed.digest()).isNotEqualTo(built.digest());
        assertThat(((ImageManifest) parsed).layers()).hasSize(1);
    }

    @Test
    void truncatedJsonIsOneLineWithPosition() {
        byte[] raw = TestImages.image().manifest().raw();
        byte[] truncated = Arrays.copyOf(raw, raw.length / 2);
        assertThatThrownBy(() -> Manifest.parse(truncated, MediaTypes.OCI_MANIFEST))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageStartingWith("OCI manifest at line 1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void mediaTypeMismatchBetweenHeaderAndBodyIsRejected() {
        byte[] raw = TestImages.image().manifest().raw();
        assertThatThrownBy(() -> Manifest.parse(raw, MediaTypes.OCI_INDEX))
                .hasMessageContaining("served as 'application/vnd.oci.image.index.v1+json'");
    }

    @Test
    void unsupportedMediaTypesAndSchema1AreRejected() {
        String other = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example+json\",\"layers\":[]}";
        assertThatThrownBy(() -> Manifest.parse(other.getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("unsupported manifest media type 'application/vnd.example+json'");
        String v1 = "{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}";
        assertThatThrownBy(() -> Manifest.parse(v1.getBytes(StandardCharsets.UTF_8), MediaTypes.DOCKER_MANIFEST_V1_SIGNED))
                .hasMessageContaining("schema 1");
    }

    @Test
    void badDescriptorFieldsNameTheirPointer() {
        String bad = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"sha256:1234\",\"size\":2},\"layers\":[]}";
        assertThatThrownBy(() -> Manifest.parse(bad.getBytes(StandardCharsets.UTF_8), null))
                .hasMessageStartingWith("OCI image manifest at /config/digest");
        String negative = bad.replace("sha256:1234", "sha256:" + "0".repeat(64)).replace("\"size\":2", "\"size\":-1");
        assertThatThrownBy(() -> Manifest.parse(negative.getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("/config/size");
    }

    @Test
    void hugeManifestIsRejectedBeforeParsing() {
        byte[] huge = new byte[Manifest.MAX_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');
        assertThatThrownBy(() -> Manifest.parse(huge, null)).hasMessageContaining("exceeds the limit");
    }

    @Test
    void indexPicksThePlatformAndIgnoresAttestationEntries() {
        TestImages.TestIndex multi = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.parse("linux/arm64/v8"));
        ImageIndex index = multi.index();
        assertThat(index.manifestFor(Platform.parse("linux/arm64")).orElseThrow().digest())
                .isEqualTo(multi.images().get(1).manifest().digest());
        assertThat(index.manifestFor(Platform.parse("linux/arm64/v7"))).isEmpty();
        assertThat(index.manifestFor(Platform.parse("windows/amd64"))).isEmpty();
    }
}
