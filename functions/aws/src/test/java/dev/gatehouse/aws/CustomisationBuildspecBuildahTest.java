package dev.gatehouse.aws;

import static dev.gatehouse.aws.CustomisationBuildspecTest.YAML;
import static dev.gatehouse.aws.CustomisationBuildspecTest.commands;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.aws.testing.CodeBuildStub;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.rebuild.BaseImageEvidence;
import dev.gatehouse.rebuild.RebuildCatalog;
import dev.gatehouse.rebuild.RebuildTarget;
import dev.gatehouse.rebuild.Rebuilder;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.signing.LocalKeySigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * No local CodeBuild exists; what CodeBuild would run is the buildspec, and that runs here: the
 * StartBuild request is taken from {@link CodeBuildStub} (CodeBuild's documented JSON protocol) and
 * its buildspec executed by bash and buildah against the real distribution registry.
 */
class CustomisationBuildspecBuildahTest {

    @TempDir
    Path dir;
    CodeBuildStub codebuild;

    @BeforeEach
    void start() throws Exception {
        codebuild = CodeBuildStub.start();
    }

    @AfterEach
    void stop() {
        codebuild.close();
    }

    @RegisterExtension
    static final LocalRegistry LOCAL = LocalRegistry.anonymous();

    /**
     * The buildspec's install, pre_build and build commands run with bash the way CodeBuild runs a
     * buildspec (one shell, the build's environment variables set), with buildah against the real
     * registry: only the context and digest paths move to a private directory, and containers'
     * storage and registries configuration point at it (the registry is plain HTTP on loopback).
     */
    @Test
    void theGeneratedBuildspecBuildsAndPushesTheCustomisationWithBuildah() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/buildah")), "buildah not installed (.ci/run installs it): buildspec run skipped");
        String host = LOCAL.host();
        Digest base = new SampleImages(LOCAL.repository("cb/base"), LocalKeySigner.generate("publisher"), Instant.now())
                .build(host + "/cb/base", "2026.11", Set.of()).image().digest();
        Files.writeString(dir.resolve("local.yaml"), """
                targets:
                  - repository: %1$s/cb/base-tz
                    tag: "1"
                    base: %1$s/cb/base:2026.11
                    codebuild: {project: gatehouse-rebuild-base-tz}
                    customisation: {environment: {TZ: Europe/Paris}, labels: {org.example.team: platform}}
                """.formatted(host));
        RebuildTarget local = RebuildCatalog.read(dir.resolve("local.yaml")).target(host + "/cb/base-tz").orElseThrow();
        BuildRunner.BaseImage pinned = new BuildRunner.BaseImage(host + "/cb/base", "2026.11", base);
        Map<String, String> env = Map.of(Rebuilder.ENV_BASE_IMAGE, pinned.pinned(), Rebuilder.ENV_BASE_DIGEST, base.toString(),
                Rebuilder.ENV_BASE_NAME, pinned.name(), Rebuilder.ENV_TARGET_REPOSITORY, local.repository(), Rebuilder.ENV_TARGET_TAG, "1",
                Rebuilder.ENV_ATTEMPT, "1");
        new CodeBuildRunner(codebuild.client()).start(new BuildRunner.BuildRequest(local.definition(), pinned, local.repository(), "1", env, 1));
        JsonNode spec = YAML.readTree(codebuild.startRequests().get(0).path("buildspecOverride").asText());

        Path work = Files.createDirectories(dir.resolve("codebuild"));
        Files.writeString(work.resolve("registries.conf"), "[[registry]]\nlocation = \"" + host + "\"\ninsecure = true\n");
        Files.writeString(work.resolve("storage.conf"), "[storage]\ndriver = \"vfs\"\ngraphroot = \"" + work.resolve("storage")
                + "\"\nrunroot = \"" + work.resolve("run") + "\"\n");
        List<String> script = new ArrayList<>();
        for (String phase : List.of("install", "pre_build", "build")) {
            script.addAll(commands(spec, phase));
        }
        script.add("echo \"pushed=$" + CodeBuildRunner.PUSHED_DIGEST + "\"");
        ProcessBuilder bash = new ProcessBuilder("bash", "-eo", "pipefail", "-c", String.join("\n", script)).redirectErrorStream(true);
        bash.environment().putAll(env);
        bash.environment().put(CustomisationBuildspec.WORK_VARIABLE, work.toString());
        bash.environment().put("CONTAINERS_REGISTRIES_CONF", work.resolve("registries.conf").toString());
        bash.environment().put("CONTAINERS_STORAGE_CONF", work.resolve("storage.conf").toString());
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        Digest pushed = Digest.parse(output.lines().filter(l -> l.startsWith("pushed=")).findFirst().orElseThrow().substring(7).strip());
        OciRepository target = LOCAL.repository("cb/base-tz");
        assertThat(target.resolve("1").digest()).isEqualTo(pushed);
        ImageManifest manifest = (ImageManifest) target.manifest(pushed);
        assertThat(manifest.annotations()).containsEntry(BaseImageEvidence.BASE_NAME, host + "/cb/base:2026.11")
                .containsEntry(BaseImageEvidence.BASE_DIGEST, base.toString());
        JsonNode config = UntrustedJson.parse(target.blob(manifest.config().digest(), 1 << 20), "image config");
        assertThat(config.at("/config/Env").toString()).contains("TZ=Europe/Paris");
        assertThat(config.at("/config/Labels/org.example.team").asText()).isEqualTo("platform");
        assertThat(config.at("/config/Labels").path(BaseImageEvidence.BASE_DIGEST).asText()).isEqualTo(base.toString());
    }
}
