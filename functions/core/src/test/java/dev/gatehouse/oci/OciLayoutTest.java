package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.oci.testing.Oracles;
import dev.gatehouse.oci.testing.TestImages;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReadsTaggedImages() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        TestImages.TestImage image = TestImages.image();
        Descriptor pushed = image.pushTo(layout, "v1");

        OciLayout reopened = OciLayout.open(dir);
        assertThat(reopened.tags()).containsExactly("v1");
        Descriptor resolved = reopened.resolve("v1");
        assertThat(resolved.digest()).isEqualTo(pushed.digest());
        assertThat(reopened.resolve(null).digest()).isEqualTo(pushed.digest());
        Manifest manifest = reopened.manifest(resolved);
        assertThat(manifest.raw()).isEqualTo(image.manifest().raw());
        assertThat(reopened.blob(image.manifest().layers().get(0).digest(), 4096)).isEqualTo(image.layer());
        assertThatThrownBy(() -> reopened.resolve("v2"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.NOT_FOUND))
                .hasMessageContaining("no tag 'v2' (tags: v1)");
    }

    @Test
    void multiArchIndexResolvesToIndexAndPlatformManifests() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        TestImages.TestIndex multi = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"));
        Descriptor pushed = multi.pushTo(layout, "latest");
        ImageIndex index = (ImageIndex) layout.manifest(layout.resolve("latest"));
        assertThat(index.digest()).isEqualTo(pushed.digest());
        Descriptor arm = index.manifestFor(Platform.of("linux", "arm64")).orElseThrow();
        assertThat(layout.resolve(arm.digest().toString()).platform()).isEqualTo(Platform.of("linux", "arm64"));
        assertThat(layout.manifest(arm)).isInstanceOf(ImageManifest.class);
    }

    @Test
    void referrersAndCosignTagsAreDiscoverable() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        Descriptor image = TestImages.image().pushTo(layout, "app");
        ImageManifest sbom = TestImages.referrer(layout, image, "application/vnd.cyclonedx+json",
                "{}".getBytes(StandardCharsets.UTF_8), "application/vnd.cyclonedx+json");
        layout.putManifest(sbom, null);
        ImageManifest sig = TestImages.referrer(layout, image, "application/vnd.dev.cosign.artifact.sig.v1+json",
                "{}".getBytes(StandardCharsets.UTF_8), MediaTypes.COSIGN_SIMPLE_SIGNING);
        layout.putManifest(sig, CosignTag.SIGNATURE.tagFor(image.digest()));

        assertThat(layout.referrers(image.digest(), null)).extracting(Descriptor::digest)
                .containsExactlyInAnyOrder(sbom.digest(), sig.digest());
        assertThat(layout.referrers(image.digest(), "application/vnd.cyclonedx+json")).singleElement()
                .satisfies(d -> assertThat(d.artifactType()).isEqualTo("application/vnd.cyclonedx+json"));
        assertThat(layout.cosignArtifact(image.digest(), CosignTag.SIGNATURE)).map(Descriptor::digest).contains(sig.digest());
        assertThat(layout.cosignArtifact(image.digest(), CosignTag.ATTESTATION)).isEmpty();
        assertThat(layout.resolve(null).digest()).isEqualTo(image.digest());
    }

    @Test
    void corruptedBlobIsADigestMismatch() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        TestImages.TestImage image = TestImages.image();
        image.pushTo(layout, "v1");
        Digest layer = image.manifest().layers().get(0).digest();
        Files.write(dir.resolve("blobs/sha256").resolve(layer.hex()), "tampered".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> layout.blob(layer, 4096))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.DIGEST_MISMATCH));
        try (InputStream in = layout.openBlob(layer, 4096)) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(BlobIntegrityException.class).hasMessageContaining("does not match");
        }
        assertThatThrownBy(() -> layout.blob(image.manifest().config().digest(), 10))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.TOO_LARGE));
    }

    @Test
    void malformedIndexJsonIsOneLineError() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":");
        assertThatThrownBy(() -> layout.resolve("x"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.MALFORMED))
                .hasMessageContaining("index.json")
                .hasMessageContaining("line 1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> OciLayout.open(dir.resolve("missing")))
                .hasMessageContaining("not an OCI image layout");
    }

    @Test
    void cosignSavedLayoutWithNestedIndexAndAttestation() throws Exception {
        Path root = Oracles.require("slsa-provenance/slsa-verifier/testdata/gha_generic_container/v2.1.0/container_workflow_dispatch");
        OciLayout layout = OciLayout.open(root);
        Descriptor image = layout.resolve(null);
        assertThat(image.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        ImageIndex index = (ImageIndex) layout.manifest(image);
        Descriptor amd64 = index.manifestFor(Platform.of("linux", "amd64")).orElseThrow();
        assertThat(layout.manifest(amd64)).isInstanceOf(ImageManifest.class);
        assertThat(layout.resolve(amd64.digest().toString()).digest()).isEqualTo(amd64.digest());

        Descriptor att = layout.cosignArtifact(image.digest(), CosignTag.ATTESTATION).orElseThrow();
        ImageManifest attestation = (ImageManifest) layout.manifest(att);
        assertThat(attestation.layers()).isNotEmpty();
        assertThat(attestation.layers().get(0).mediaType()).isEqualTo(MediaTypes.DSSE_ENVELOPE);
        byte[] envelope = layout.blob(attestation.layers().get(0).digest(), 1 << 20);
        assertThat(new String(envelope, StandardCharsets.UTF_8)).contains("payloadType");
        assertThat(layout.cosignArtifact(image.digest(), CosignTag.SIGNATURE)).isEmpty();
        assertThat(layout.cosignArtifact(amd64.digest(), CosignTag.ATTESTATION)).isEmpty();
    }

    @Test
    void openvexDiscoveryLayoutsParse() throws Exception {
        Path root = Oracles.require("image-attestations/openvex-discovery");
        for (String name : List.of("wolfi-base-att", "wolfi-base-sig", "alpine-cves.att")) {
            OciLayout layout = OciLayout.open(root.resolve(name));
            ImageManifest m = (ImageManifest) layout.manifest(layout.resolve(null));
            for (Descriptor layer : m.layers()) {
                assertThat(layout.blob(layer.digest(), 1 << 20)).hasSize((int) layer.size());
            }
        }
        OciLayout alpine = OciLayout.open(root.resolve("alpine-cves"));
        ImageIndex list = (ImageIndex) alpine.manifest(alpine.resolve(null));
        assertThat(list.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
        Descriptor amd64 = list.manifestFor(Platform.of("linux", "amd64")).orElseThrow();
        ImageManifest platform = (ImageManifest) alpine.manifest(amd64);
        assertThat(platform.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(alpine.referrers(list.digest(), null)).isEmpty();
    }
}
