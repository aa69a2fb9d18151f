package dev.gatehouse.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.sample.TarLayer;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.verify.VerificationReport;
import dev.gatehouse.verify.VerificationRequest;
import dev.gatehouse.vex.VexPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The after-build hook on a real registry: a pushed rebuild gets a signed SLSA provenance, a signed
 * SBOM and a cosign signature from the platform key, and then passes the default bundle
 * (policies/hardened) when the trust configuration names the platform key and the trusted-builders
 * list names the runner. The SBOM here is a fixed document; CdxgenSbomTest runs the real generator.
 */
class RebuildHardenerTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    static final String SOURCE = "git+https://git.gatehouse.test/platform/images@refs/heads/main";
    static final String NODE = "/usr/bin/node";

    @TempDir
    Path dir;

    final ExecutorService executor = Executors.newFixedThreadPool(4);
    final LocalKeySigner platform = LocalKeySigner.generate("platform");
    final List<String> log = new ArrayList<>();

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
    }

    @Test
    void aHardenedRebuildPassesTheDefaultBundle() throws Exception {
        Rebuild rebuild = pushRebuild("hardened/app");

        hardener(sbom("libexample")).onBuilt(rebuild.request(), rebuild.result());

        assertThat(log).singleElement().asString().contains("hardened " + rebuild.result().repository())
                .contains("SBOM of 1 components");
        VerificationReport report = verify(rebuild, 3);
        assertThat(report.decision().allowed()).as(report.decision().toString()).isTrue();
        JsonNode input = report.input();
        assertThat(input.at("/signatures")).hasSize(1);
        assertThat(input.at("/provenance/builder/id").asText()).isEqualTo(RebuildHardener.BUILDAH_BUILDER_ID);
        assertThat(input.at("/provenance/builder/trusted").asBoolean()).isTrue();
        assertThat(input.at("/provenance/source/uri").asText()).isEqualTo(SOURCE);
        assertThat(input.at("/provenance/resolved_dependencies").toString())
                .contains("oci://" + rebuild.request().base().name()).contains(rebuild.request().base().digest().hex());
        assertThat(input.at("/sbom/signed").asBoolean()).isTrue();
    }

    @Test
    void theAttestationsAreReferrersAndCosignAttestations() throws Exception {
        Rebuild rebuild = pushRebuild("hardened/referrers");

        hardener(sbom("libexample")).harden(rebuild.request(), rebuild.result());

        OciRepository repository = REGISTRY.repository("hardened/referrers");
        Digest image = rebuild.result().pushedDigest();
        assertThat(repository.referrers(image, MediaTypes.DSSE_ENVELOPE)).extracting(d -> {
            ImageManifest m = (ImageManifest) repository.manifest(d);
            return m.layers().get(0).annotation("predicateType");
        }).containsExactlyInAnyOrder(RebuildProvenance.PREDICATE_TYPE, RebuildHardener.CYCLONEDX_PREDICATE_TYPE);
        ImageManifest att = (ImageManifest) repository.manifest(repository.cosignArtifact(image, CosignTag.ATTESTATION).orElseThrow());
        assertThat(att.layers()).hasSize(2);
        assertThat(repository.cosignArtifact(image, CosignTag.SIGNATURE)).isPresent();
    }

    @Test
    void aRebuildWhoseSignatureWasRemovedIsDenied() throws Exception {
        Rebuild rebuild = pushRebuild("hardened/unsigned");
        hardener(sbom("libexample")).harden(rebuild.request(), rebuild.result());

        removeSignature("hardened/unsigned", rebuild.result().pushedDigest(), REGISTRY);

        VerificationReport report = verify(rebuild, 3);
        assertThat(report.decision().allowed()).isFalse();
        assertThat(report.decision().toString()).contains("GH-SIGNED");
    }

    @Test
    void aRunnerBelowTheRequiredLevelIsDenied() throws Exception {
        Rebuild rebuild = pushRebuild("hardened/level");
        hardener(sbom("libexample")).harden(rebuild.request(), rebuild.result());

        VerificationReport report = verify(rebuild, 2);

        assertThat(report.decision().allowed()).isFalse();
        assertThat(report.decision().toString()).contains("SLSA Build L2, L3 required");
    }

    @Test
    void anSbomWithoutComponentsSignsNothing() throws Exception {
        Rebuild rebuild = pushRebuild("hardened/empty");

        assertThatThrownBy(() -> hardener(sbom()).harden(rebuild.request(), rebuild.result()))
                .isInstanceOf(HardeningException.class).hasMessageContaining("lists no components");

        OciRepository repository = REGISTRY.repository("hardened/empty");
        assertThat(repository.cosignArtifact(rebuild.result().pushedDigest(), CosignTag.SIGNATURE)).isEmpty();
        assertThat(repository.cosignArtifact(rebuild.result().pushedDigest(), CosignTag.ATTESTATION)).isEmpty();
    }

    @Test
    void aDocumentThatIsNoSbomSignsNothing() throws Exception {
        Rebuild rebuild = pushRebuild("hardened/malformed");

        assertThatThrownBy(() -> hardener((repository, image, request, result) -> "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": 7}"
                .getBytes(StandardCharsets.UTF_8)).harden(rebuild.request(), rebuild.result()))
                .isInstanceOf(HardeningException.class).hasMessageContaining("is not valid");

        assertThat(REGISTRY.repository("hardened/malformed").cosignArtifact(rebuild.result().pushedDigest(), CosignTag.SIGNATURE)).isEmpty();
    }

    @Test
    void aCodeBuildRebuildIsHardenedWithTheSbomItsBuildAttached() throws Exception {
        Rebuild rebuild = pushRebuild("hardened/codebuild");
        attachBuildSbom("hardened/codebuild", rebuild.result(), "other-build:1", sbom());
        attachBuildSbom("hardened/codebuild", rebuild.result(), rebuild.result().buildId(), sbom("libexample"));
        RebuildHardener hardener = new RebuildHardener(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()), platform,
                new BuildAttachedSbom(), this::catalog, RebuildHardener.CODEBUILD_BUILDER_ID, log::add);

        RebuildHardener.Hardened hardened = hardener.harden(rebuild.request(), rebuild.result());

        assertThat(hardened.components()).isEqualTo(1);
        VerificationReport report = verify(rebuild, RebuildHardener.CODEBUILD_BUILDER_ID, 3);
        assertThat(report.decision().allowed()).as(report.decision().toString()).isTrue();
        assertThat(report.input().at("/provenance/builder/id").asText()).isEqualTo(RebuildHardener.CODEBUILD_BUILDER_ID);
    }

    @Test
    void anSbomAttachedByAnotherBuildIsNotSigned() throws Exception {
        Rebuild rebuild = pushRebuild("hardened/stranger");
        attachBuildSbom("hardened/stranger", rebuild.result(), "someone-else:7", sbom("libexample"));
        RebuildHardener hardener = new RebuildHardener(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()), platform,
                new BuildAttachedSbom(), this::catalog, RebuildHardener.CODEBUILD_BUILDER_ID, log::add);

        assertThatThrownBy(() -> hardener.harden(rebuild.request(), rebuild.result())).isInstanceOf(HardeningException.class)
                .hasMessageContaining("build " + rebuild.result().buildId() + " attached no SBOM");
        assertThat(REGISTRY.repository("hardened/stranger").cosignArtifact(rebuild.result().pushedDigest(), CosignTag.SIGNATURE)).isEmpty();
    }

    @Test
    void twoSbomsClaimingTheSameBuildSignNothing() throws Exception {
        Rebuild rebuild = pushRebuild("hardened/planted");
        attachBuildSbom("hardened/planted", rebuild.result(), rebuild.result().buildId(), sbom("libexample"));
        attachBuildSbom("hardened/planted", rebuild.result(), rebuild.result().buildId(), sbom("libplanted"));
        RebuildHardener hardener = new RebuildHardener(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()), platform,
                new BuildAttachedSbom(), this::catalog, RebuildHardener.CODEBUILD_BUILDER_ID, log::add);

        assertThatThrownBy(() -> hardener.harden(rebuild.request(), rebuild.result())).isInstanceOf(HardeningException.class)
                .hasMessageContaining("claim build " + rebuild.result().buildId());
        assertThat(REGISTRY.repository("hardened/planted").cosignArtifact(rebuild.result().pushedDigest(), CosignTag.SIGNATURE)).isEmpty();
    }

    @Test
    void theBuildsAttachScriptWritesTheReferrerTheHardenerReads() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(NODE)), NODE + " not installed: the attach script is not run");
        Rebuild rebuild = pushRebuild("hardened/script");
        Path script = Files.writeString(dir.resolve(BuildAttachedSbom.ATTACH_SCRIPT), BuildAttachedSbom.attachScript());
        Path bom = Files.write(dir.resolve("bom.json"), sbom("libexample").sbomOf(REGISTRY.repository("hardened/script"), null, null, null));
        ProcessBuilder node = new ProcessBuilder(NODE, script.toString(), rebuild.result().repository(), rebuild.result().pushedDigest().toString(),
                bom.toString(), rebuild.result().buildId()).redirectErrorStream(true);
        node.environment().put("GATEHOUSE_REGISTRY_PLAIN_HTTP_UNSAFE", "1");
        Process process = node.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        RebuildHardener hardener = new RebuildHardener(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()), platform,
                new BuildAttachedSbom(), this::catalog, RebuildHardener.CODEBUILD_BUILDER_ID, log::add);

        assertThat(hardener.harden(rebuild.request(), rebuild.result()).components()).isEqualTo(1);
        assertThat(verify(rebuild, RebuildHardener.CODEBUILD_BUILDER_ID, 3).decision().allowed()).isTrue();
    }

    /** What the CodeBuild buildspec does after cdxgen: the SBOM as an unsigned referrer of the pushed digest, naming the build. */
    static void attachBuildSbom(String repository, BuildRunner.Succeeded result, String buildId, RebuiltImageSbom sbom) throws Exception {
        OciRepository repo = REGISTRY.repository(repository);
        Descriptor image = repo.resolve(result.pushedDigest().toString());
        Descriptor config = repo.putBlob("{}".getBytes(StandardCharsets.UTF_8), "application/vnd.oci.empty.v1+json");
        Descriptor layer = repo.putBlob(sbom.sbomOf(repo, image, null, result), BuildAttachedSbom.ARTIFACT_TYPE);
        repo.putManifest(ImageManifest.build(BuildAttachedSbom.ARTIFACT_TYPE, config, List.of(layer),
                new Descriptor(image.mediaType(), image.digest(), image.size(), Map.of(), null, null),
                Map.of(BuildAttachedSbom.BUILD_ID_ANNOTATION, buildId)), null);
    }

    record Rebuild(BuildRunner.BuildRequest request, BuildRunner.Succeeded result) {}

    RebuildHardener hardener(RebuiltImageSbom sbom) {
        RebuildCatalog catalog = catalog();
        return new RebuildHardener(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()), platform, sbom, () -> catalog,
                RebuildHardener.BUILDAH_BUILDER_ID, log::add);
    }

    /** The catalog naming every repository these tests rebuild, with the source their provenance names. */
    RebuildCatalog catalog() {
        List<RebuildTarget> targets = new ArrayList<>();
        for (String repository : List.of("hardened/app", "hardened/referrers", "hardened/unsigned", "hardened/level", "hardened/empty",
                "hardened/malformed", "hardened/codebuild", "hardened/stranger", "hardened/script")) {
            targets.add(new RebuildTarget(REGISTRY.host() + "/" + repository, "1", ImageReference.parse(REGISTRY.host() + "/gatehouse/base/static:1"),
                    new BuildDefinition.Containerfile(dir.resolve("Containerfile"), dir), SOURCE));
        }
        return new RebuildCatalog(targets, RebuildSettings.DEFAULTS);
    }

    VerificationReport verify(Rebuild rebuild, int builderLevel) throws Exception {
        return verify(rebuild, RebuildHardener.BUILDAH_BUILDER_ID, builderLevel);
    }

    VerificationReport verify(Rebuild rebuild, String builderId, int builderLevel) throws Exception {
        Path trust = Files.createTempDirectory(dir, "trust-");
        RebuildFixtures.writeTrust(trust, builderId, builderLevel, platform);
        VerificationPipeline pipeline = new VerificationPipeline(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()),
                TrustConfig.read(trust.resolve(RebuildFixtures.TRUST_CONFIG)),
                TrustedBuilders.parse(Files.readAllBytes(trust.resolve(RebuildFixtures.TRUSTED_BUILDERS))), PolicyBundle.hardened(),
                VexPolicy.defaults(), Clock.systemUTC(), executor, s -> { });
        return pipeline.verify(VerificationRequest.of(
                ImageReference.parse(rebuild.result().repository() + "@" + rebuild.result().pushedDigest()), "test"));
    }

    /** Pushes a small non-root Debian-like image, as buildah would have, and the request and result that built it. */
    Rebuild pushRebuild(String repository) throws Exception {
        Digest baseDigest = Digest.sha256("base".getBytes(StandardCharsets.UTF_8));
        BuildRunner.BaseImage base = new BuildRunner.BaseImage(REGISTRY.host() + "/gatehouse/base/static", "1", baseDigest);
        Descriptor image = RebuildFixtures.pushImage(REGISTRY.repository(repository), "1", "10001", List.of(
                new TarLayer.Entry("etc/passwd", 0644, "root:x:0:0:root:/root:/sbin/nologin\napp:x:10001:10001::/home/app:/sbin/nologin\n"
                        .getBytes(StandardCharsets.UTF_8)),
                new TarLayer.Entry("etc/os-release", 0644, "ID=debian\nVERSION_ID=\"12\"\n".getBytes(StandardCharsets.UTF_8)),
                new TarLayer.Entry("app/hello", 0644, ("hello " + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8))),
                Map.of(BaseImageEvidence.BASE_NAME, base.name(), BaseImageEvidence.BASE_DIGEST, baseDigest.toString()));
        String target = REGISTRY.host() + "/" + repository;
        BuildRunner.BuildRequest request = new BuildRunner.BuildRequest(new BuildDefinition.Containerfile(dir.resolve("Containerfile"), dir),
                base, target, "1", Map.of(), 1);
        return new Rebuild(request, new BuildRunner.Succeeded("buildah-test-1", target, "1", image.digest(), base, Instant.now()));
    }

    /** Overwrites the image's cosign .sig manifest with one that carries no signature. */
    static void removeSignature(String repository, Digest image, LocalRegistry registry) throws Exception {
        OciRepository repo = registry.repository(repository);
        Descriptor config = repo.putBlob("{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_CONFIG);
        repo.putManifest(ImageManifest.build(null, config, List.of(), null, Map.of()), CosignTag.SIGNATURE.tagFor(image));
    }

    /** A CycloneDX 1.6 SBOM listing Debian packages of these names. */
    static RebuiltImageSbom sbom(String... packages) {
        return (repository, image, request, result) -> {
            ObjectNode bom = UntrustedJson.mapper().createObjectNode();
            bom.put("bomFormat", "CycloneDX");
            bom.put("specVersion", "1.6");
            bom.put("version", 1);
            bom.putObject("metadata").putObject("component").put("type", "container").put("name", repository.name());
            var components = bom.putArray("components");
            for (String name : packages) {
                components.addObject().put("type", "library").put("name", name).put("version", "1.0.1")
                        .put("purl", "pkg:deb/debian/" + name + "@1.0.1?arch=amd64&distro=debian-12");
            }
            try {
                return UntrustedJson.mapper().writeValueAsBytes(bom);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
