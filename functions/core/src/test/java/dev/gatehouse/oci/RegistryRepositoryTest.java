package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.TestImages;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against the real distribution registry (anonymous): push, resolve, multi-arch, attached artifacts, tampering. */
class RegistryRepositoryTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    private static final String SBOM_TYPE = "application/vnd.cyclonedx+json";

    @Test
    void pushedImageResolvesByTagAndDigestWithExactBytes() throws Exception {
        OciRepository repo = REGISTRY.repository("gatehouse/single");
        TestImages.TestImage image = TestImages.image();
        Descriptor pushed = image.pushTo(repo, "v1");

        Descriptor byTag = repo.resolve("v1");
        assertThat(byTag.digest()).isEqualTo(image.manifest().digest());
        assertThat(byTag.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(byTag.size()).isEqualTo(pushed.size());
        assertThat(repo.resolve(byTag.digest().toString()).digest()).isEqualTo(byTag.digest());

        OciRepository fresh = REGISTRY.repository("gatehouse/single");
        ImageManifest manifest = (ImageManifest) fresh.manifest(byTag);
        assertThat(manifest.raw()).isEqualTo(image.manifest().raw());
        assertThat(fresh.blob(manifest.config().digest(), 1 << 20)).isEqualTo(image.config());
        try (InputStream in = fresh.openBlob(manifest.layers().get(0).digest(), 1 << 20)) {
            assertThat(in.readAllBytes()).isEqualTo(image.layer());
        }
        assertThat(fresh.tags()).contains("v1");
        assertThat(REGISTRY.client().catalog(100)).contains("gatehouse/single");
    }

    @Test
    void multiArchIndexAndEachPlatformManifest() throws Exception {
        OciRepository repo = REGISTRY.repository("gatehouse/multi");
        TestImages.TestIndex multi = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.parse("linux/arm64/v8"));
        multi.pushTo(repo, "1.0");

        Descriptor top = repo.resolve("1.0");
        assertThat(top.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        ImageIndex index = (ImageIndex) repo.manifest(top);
        assertThat(index.digest()).isEqualTo(multi.index().digest());
        for (TestImages.TestImage image : multi.images()) {
            Descriptor entry = index.manifestFor(image.platform()).orElseThrow();
            ImageManifest platformManifest = (ImageManifest) repo.manifest(entry);
            assertThat(platformManifest.raw()).isEqualTo(image.manifest().raw());
            assertThat(SignedSubjects.forTarget(entry.digest(), index)).containsExactly(entry.digest(), index.digest());
        }
    }

    @Test
    void referenceResolvesToIndexAndPlatformWithTheDigestRule() throws Exception {
        TestImages.TestIndex multi = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"));
        multi.pushTo(REGISTRY.repository("gatehouse/resolved"), "2.0");
        OciRepositories repositories = new OciRepositories(REGISTRY.credentials(), REGISTRY.options());
        ResolvedImage image = repositories.resolve(ImageReference.parse(REGISTRY.host() + "/gatehouse/resolved:2.0"));
        assertThat(image.isIndex()).isTrue();
        assertThat(image.reference().digest()).isEqualTo(multi.index().digest());
        assertThat(image.signedSubjects()).containsExactly(multi.index().digest());
        ResolvedImage arm = image.forPlatform(Platform.of("linux", "arm64")).orElseThrow();
        assertThat(arm.digest()).isEqualTo(multi.images().get(1).manifest().digest());
        assertThat(arm.signedSubjects()).containsExactly(arm.digest(), multi.index().digest());
        assertThat(image.forPlatform(Platform.of("linux", "s390x"))).isEmpty();
        ResolvedImage pinned = repositories.resolve(ImageReference.parse(REGISTRY.host() + "/gatehouse/resolved@" + arm.digest()));
        assertThat(pinned.signedSubjects()).containsExactly(arm.digest());
    }

    @Test
    void referrersFallBackToTheTagIndexWhenTheRegistryHasNoReferrersApi() throws Exception {
        RegistryClient client = REGISTRY.client();
        OciRepository repo = client.repository("gatehouse/referrers");
        Descriptor image = TestImages.image().pushTo(repo, "app");
        assertThat(repo.referrers(image.digest(), null)).isEmpty();

        ImageManifest sbom = TestImages.referrer(repo, image, SBOM_TYPE, "{\"bomFormat\":\"CycloneDX\"}".getBytes(StandardCharsets.UTF_8), SBOM_TYPE);
        repo.putManifest(sbom, null);
        ImageManifest vsa = TestImages.referrer(repo, image, "application/vnd.in-toto+json", "{}".getBytes(StandardCharsets.UTF_8),
                MediaTypes.IN_TOTO);
        repo.putManifest(vsa, null);
        repo.putManifest(vsa, null);

        List<Descriptor> all = repo.referrers(image.digest(), null);
        assertThat(all).extracting(Descriptor::digest).containsExactly(sbom.digest(), vsa.digest());
        assertThat(repo.referrers(image.digest(), SBOM_TYPE)).singleElement()
                .satisfies(d -> assertThat(d.artifactType()).isEqualTo(SBOM_TYPE));
        assertThat(repo.tags()).contains(image.digest().tagForm());
        assertThat(repo.resolve(image.digest().tagForm()).mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(client.referrersApi()).isFalse();
        ImageManifest fetched = (ImageManifest) repo.manifest(all.get(0));
        assertThat(fetched.subject().digest()).isEqualTo(image.digest());
    }

    @Test
    void cosignSignatureTagIsFoundAndOtherKindsAreEmpty() throws Exception {
        OciRepository repo = REGISTRY.repository("gatehouse/cosign");
        TestImages.TestIndex multi = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"));
        Descriptor index = multi.pushTo(repo, "latest");
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + REGISTRY.host() + "/gatehouse/cosign\"},"
                + "\"image\":{\"docker-manifest-digest\":\"" + index.digest() + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        Descriptor config = repo.putBlob("{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_CONFIG);
        Descriptor layer = repo.putBlob(payload, MediaTypes.COSIGN_SIMPLE_SIGNING)
                .withAnnotations(java.util.Map.of("dev.cosignproject.cosign/signature", "MEUCIQ=="));
        ImageManifest sig = ImageManifest.build(null, config, List.of(layer), null, java.util.Map.of());
        repo.putManifest(sig, CosignTag.SIGNATURE.tagFor(index.digest()));

        Descriptor found = repo.cosignArtifact(index.digest(), CosignTag.SIGNATURE).orElseThrow();
        assertThat(found.digest()).isEqualTo(sig.digest());
        ImageManifest fetched = (ImageManifest) repo.manifest(found);
        assertThat(fetched.layers().get(0).annotation("dev.cosignproject.cosign/signature")).isEqualTo("MEUCIQ==");
        assertThat(repo.blob(fetched.layers().get(0).digest(), 1 << 16)).isEqualTo(payload);
        assertThat(repo.cosignArtifact(index.digest(), CosignTag.ATTESTATION)).isEmpty();
        Digest amd64 = multi.images().get(0).manifest().digest();
        assertThat(repo.cosignArtifact(amd64, CosignTag.SIGNATURE)).isEmpty();
    }

    @Test
    void tamperedBlobAndManifestAreDigestMismatches() throws Exception {
        OciRepository repo = REGISTRY.repository("gatehouse/tampered");
        TestImages.TestImage image = TestImages.image();
        image.pushTo(repo, "v1");
        Digest layer = image.manifest().layers().get(0).digest();
        byte[] evil = image.layer().clone();
        evil[evil.length / 2] ^= 1;
        Files.write(REGISTRY.storedBlob(layer), evil);
        assertThatThrownBy(() -> repo.blob(layer, 1 << 20))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.DIGEST_MISMATCH))
                .hasMessageContaining("does not match its digest " + layer);

        Digest manifestDigest = image.manifest().digest();
        byte[] swapped = new String(image.manifest().raw(), StandardCharsets.UTF_8).replace("\"layers\"", "\"layerz\"")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(REGISTRY.storedBlob(manifestDigest), swapped);
        assertThatThrownBy(() -> REGISTRY.repository("gatehouse/tampered").manifest(manifestDigest))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.DIGEST_MISMATCH))
                .hasMessageContaining("does not match digest");
    }

    @Test
    void missingThingsAreNotFound() throws Exception {
        OciRepository repo = REGISTRY.repository("gatehouse/missing");
        assertThatThrownBy(() -> repo.resolve("nope"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.NOT_FOUND))
                .hasMessageStartingWith(REGISTRY.host() + "/gatehouse/missing:nope: not found (HTTP 404)");
        Digest absent = Digest.sha256(new byte[] {1});
        assertThatThrownBy(() -> repo.blob(absent, 10))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.NOT_FOUND));
        assertThat(repo.cosignArtifact(absent, CosignTag.ATTESTATION)).isEmpty();
    }
}
