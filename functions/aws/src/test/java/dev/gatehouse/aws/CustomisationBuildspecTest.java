package dev.gatehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.aws.testing.CodeBuildStub;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.rebuild.BuildAttachedSbom;
import dev.gatehouse.rebuild.BuildDefinition;
import dev.gatehouse.rebuild.ContainerfileGenerator;
import dev.gatehouse.rebuild.RebuildCatalog;
import dev.gatehouse.rebuild.RebuildTarget;
import dev.gatehouse.rebuild.Rebuilder;
import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Customisations built in CodeBuild: the StartBuild request carries the generated buildspec with
 * no source. No local CodeBuild exists, so the request is read on {@link CodeBuildStub} (CodeBuild's
 * documented JSON protocol) and the buildspec checked as CodeBuild reads it (buildspec version 0.2:
 * phases, commands, exported variables); the commands that write the build context are run with
 * bash to show they reproduce the Containerfile and certificates byte for byte
 * ({@link CustomisationBuildspecBuildahTest} runs the whole buildspec with buildah).
 */
class CustomisationBuildspecTest {

    static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    static final Digest BASE = Digest.sha256("base-2".getBytes(StandardCharsets.UTF_8));
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;
    CodeBuildStub codebuild;
    String pem;
    RebuildTarget target;

    @BeforeEach
    void start() throws Exception {
        codebuild = CodeBuildStub.start();
        pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(new SigstoreFixtures().root.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        Files.writeString(dir.resolve("corp-ca.pem"), pem);
        Path catalog = dir.resolve("catalog.yaml");
        Files.writeString(catalog, """
                targets:
                  - repository: %1$s/platform/base-custom
                    tag: "2026.11"
                    base: %1$s/hardened/static:2026.11
                    codebuild: {project: gatehouse-rebuild-base-custom}
                    customisation:
                      packageManager: apt
                      packages: [curl, tzdata]
                      caCertificates: [corp-ca.pem]
                      users: [{name: app, uid: 10001, gid: 10001}]
                      environment: {TZ: UTC, GREETING: "it's $HOME \\"quoted\\""}
                      labels: {org.example.team: payments}
                      runAs: "10001"
                """.formatted(REGISTRY));
        target = RebuildCatalog.read(catalog).target(REGISTRY + "/platform/base-custom").orElseThrow();
    }

    @AfterEach
    void stop() {
        codebuild.close();
    }

    BuildRunner.BuildRequest request(int attempt) {
        BuildRunner.BaseImage base = new BuildRunner.BaseImage(REGISTRY + "/hardened/static", "2026.11", BASE);
        return new BuildRunner.BuildRequest(target.definition(), base, target.repository(), target.tag(), Map.of(
                Rebuilder.ENV_BASE_IMAGE, base.pinned(), Rebuilder.ENV_BASE_DIGEST, BASE.toString(), Rebuilder.ENV_BASE_NAME, base.name(),
                Rebuilder.ENV_TARGET_REPOSITORY, target.repository(), Rebuilder.ENV_TARGET_TAG, target.tag(),
                Rebuilder.ENV_ATTEMPT, Integer.toString(attempt)), attempt);
    }

    JsonNode started() throws Exception {
        new CodeBuildRunner(codebuild.client()).start(request(1));
        return codebuild.startRequests().get(0);
    }

    static List<String> commands(JsonNode spec, String phase) {
        List<String> out = new ArrayList<>();
        spec.path("phases").path(phase).path("commands").forEach(c -> out.add(c.asText()));
        return out;
    }

    @Test
    void aCatalogCustomisationWithACodeBuildProjectStartsItsGeneratedBuildspecWithNoSource() throws Exception {
        assertThat(target.definition()).isInstanceOfSatisfying(BuildDefinition.Customised.class,
                c -> assertThat(c.codebuildProject()).isEqualTo("gatehouse-rebuild-base-custom"));

        JsonNode sent = started();

        assertThat(sent.path("projectName").asText()).isEqualTo("gatehouse-rebuild-base-custom");
        assertThat(sent.path("sourceTypeOverride").asText()).isEqualTo("NO_SOURCE");
        assertThat(sent.has("sourceLocationOverride")).isFalse();
        assertThat(sent.path("environmentVariablesOverride").toString()).contains(REGISTRY + "/hardened/static@" + BASE);
        JsonNode spec = YAML.readTree(sent.path("buildspecOverride").asText());
        assertThat(spec.path("version").asText()).isEqualTo("0.2");
        assertThat(spec.at("/env/exported-variables").toString()).isEqualTo("[\"" + CodeBuildRunner.PUSHED_DIGEST + "\"]");
        assertThat(commands(spec, "pre_build")).contains("aws ecr get-login-password --region eu-west-1 | buildah login --username AWS "
                + "--password-stdin " + REGISTRY);
        List<String> build = commands(spec, "build");
        assertThat(build.get(0)).contains("--from \"$GATEHOUSE_BASE_IMAGE\"", "--isolation chroot", "--storage-driver vfs",
                "--annotation \"org.opencontainers.image.base.name=$GATEHOUSE_BASE_NAME\"",
                "--annotation \"org.opencontainers.image.base.digest=$GATEHOUSE_BASE_DIGEST\"",
                "--label \"org.opencontainers.image.base.digest=$GATEHOUSE_BASE_DIGEST\"");
        assertThat(build.get(1)).contains("push --digestfile", "\"docker://$GATEHOUSE_TARGET_REPOSITORY:$GATEHOUSE_TARGET_TAG\"");
        assertThat(build.get(2)).isEqualTo("export GATEHOUSE_PUSHED_DIGEST=\"$(cat \"$GATEHOUSE_WORK/digest\")\"");
    }

    @Test
    void afterThePushTheBuildAttachesACdxgenSbomOfTheImageNamingItself() throws Exception {
        JsonNode spec = YAML.readTree(started().path("buildspecOverride").asText());

        assertThat(commands(spec, "install")).anyMatch(c -> c.contains("npm install -g --no-fund --no-audit @cyclonedx/cdxgen@12.8.4"));
        List<String> sbom = commands(spec, "post_build");
        assertThat(sbom.get(0)).endsWith(" push " + CustomisationBuildspec.LOCAL_IMAGE + " \"oci-archive:$GATEHOUSE_WORK/image.tar\"");
        assertThat(sbom.get(1)).isEqualTo("cdxgen -t docker --spec-version 1.6 -o \"$GATEHOUSE_WORK/bom.json\" \"$GATEHOUSE_WORK/image.tar\"");
        String script = sbom.get(2).substring("echo ".length(), sbom.get(2).indexOf(" | base64 -d"));
        assertThat(new String(Base64.getDecoder().decode(script), StandardCharsets.UTF_8)).isEqualTo(BuildAttachedSbom.attachScript());
        assertThat(sbom.get(3)).startsWith("GATEHOUSE_REGISTRY_AUTHORIZATION=\"Basic $(printf 'AWS:%s' \"$(aws ecr get-login-password --region eu-west-1)\"")
                .endsWith("node \"$GATEHOUSE_WORK/attach-sbom.mjs\" \"$GATEHOUSE_TARGET_REPOSITORY\" \"$GATEHOUSE_PUSHED_DIGEST\" "
                + "\"$GATEHOUSE_WORK/bom.json\" \"$CODEBUILD_BUILD_ID\"");
    }

    @Test
    void theBuildContextCommandsWriteTheGeneratedContainerfilePinnedToTheBaseDigestAndTheCertificates() throws Exception {
        JsonNode spec = YAML.readTree(started().path("buildspecOverride").asText());
        Path context = dir.resolve("context");
        List<String> writes = commands(spec, "pre_build").stream().filter(c -> !c.contains("buildah login")).toList();

        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", String.join("\n", writes)).redirectErrorStream(true);
        builder.environment().put(CustomisationBuildspec.WORK_VARIABLE, dir.toString());
        Process bash = builder.start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();

        BuildDefinition.Customised customised = (BuildDefinition.Customised) target.definition();
        String containerfile = Files.readString(context.resolve("Containerfile"));
        assertThat(containerfile).isEqualTo(ContainerfileGenerator.containerfile(customised.customisation(), REGISTRY + "/hardened/static@" + BASE));
        assertThat(containerfile).contains("FROM " + REGISTRY + "/hardened/static@" + BASE + "\n", "ENV GREETING=\"it's \\$HOME \\\"quoted\\\"\"",
                "USER 10001\n");
        assertThat(Files.readString(context.resolve("ca-certificates/gatehouse-000.crt"))).isEqualTo(pem);
    }

    @Test
    void aRetryGeneratesTheSameBuildspecUnderAnotherIdempotencyToken() throws Exception {
        CodeBuildRunner runner = new CodeBuildRunner(codebuild.client());
        runner.start(request(1));
        runner.start(request(2));
        List<JsonNode> sent = codebuild.startRequests();
        assertThat(sent.get(1).path("buildspecOverride").asText()).isEqualTo(sent.get(0).path("buildspecOverride").asText());
        assertThat(sent.get(1).path("idempotencyToken").asText()).isNotEqualTo(sent.get(0).path("idempotencyToken").asText());
    }

    @Test
    void anUnusableCertificateFailsTheStartNamingTheTargetAndStartsNothing() throws Exception {
        Files.writeString(dir.resolve("corp-ca.pem"), "not a certificate");
        assertThatThrownBy(() -> new CodeBuildRunner(codebuild.client()).start(request(1))).isInstanceOf(BuildRunner.BuildException.class)
                .hasMessageContaining("customisation " + target.reference() + " cannot be built in CodeBuild")
                .hasMessageContaining("corp-ca.pem");
        assertThat(codebuild.startRequests()).isEmpty();
    }

    @Test
    void aCustomisationWithoutACodeBuildProjectIsNotStartedInCodeBuild() {
        BuildRunner.BuildRequest r = request(1);
        BuildRunner.BuildRequest local = new BuildRunner.BuildRequest(new BuildDefinition.Customised(
                ((BuildDefinition.Customised) target.definition()).customisation()), r.base(), r.targetRepository(), r.targetTag(),
                r.environment(), 1);
        assertThatThrownBy(() -> new CodeBuildRunner(codebuild.client()).start(local)).isInstanceOf(BuildRunner.BuildException.class)
                .hasMessageContaining("customisations with a CodeBuild project");
        assertThat(codebuild.startRequests()).isEmpty();
    }
}
