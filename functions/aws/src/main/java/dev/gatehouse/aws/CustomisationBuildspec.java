package dev.gatehouse.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.rebuild.BaseImageEvidence;
import dev.gatehouse.rebuild.BuildAttachedSbom;
import dev.gatehouse.rebuild.CdxgenSbom;
import dev.gatehouse.rebuild.ContainerfileGenerator;
import dev.gatehouse.rebuild.Customisation;
import dev.gatehouse.rebuild.Rebuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The buildspec CodeBuild runs for a customisation (passed as {@code buildspecOverride}, with no
 * source): the Containerfile {@link ContainerfileGenerator} makes for the pinned base and the CA
 * certificates it copies are written from base64 literals (nothing from the catalog is ever
 * interpreted by the shell), then buildah builds it the way {@code BuildahRunner} does (chroot
 * isolation, vfs storage, no daemon, the first FROM and {@code --from} pinned to the base digest,
 * the base recorded as {@code org.opencontainers.image.base.name}/{@code .digest} annotations and
 * labels), pushes to the target and exports the pushed digest as {@value CodeBuildRunner#PUSHED_DIGEST}.
 * Registries on ECR are logged in to with the build role's credentials; any other registry needs
 * credentials in the build environment (buildah's auth file).
 */
public final class CustomisationBuildspec {

    /** Well under what a StartBuild request may carry; certificates are the only large part. */
    static final int MAX_BYTES = 128 * 1024;
    /**
     * Every file the build writes lives in one fresh directory ({@code mktemp -d}) named by this
     * variable; buildspec 0.2 keeps exported variables from phase to phase. A value already in the
     * environment is used instead, so the commands can be run outside CodeBuild.
     */
    static final String WORK_VARIABLE = "GATEHOUSE_WORK";
    static final String WORK = "$" + WORK_VARIABLE;
    static final String CONTEXT = WORK + "/context";
    static final String DIGEST_FILE = WORK + "/digest";
    private static final String IMAGE_ARCHIVE = WORK + "/image.tar";
    private static final String BOM = WORK + "/bom.json";
    static final String LOCAL_IMAGE = "localhost/gatehouse-rebuild";
    static final Pattern ECR_HOST = Pattern.compile("[0-9]{12}\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private CustomisationBuildspec() {}

    /** The buildspec that builds {@code customisation} for {@code request}; throws when a certificate is unusable or it grows too large. */
    public static String of(Customisation customisation, BuildRunner.BuildRequest request) throws IOException {
        ObjectNode spec = YAML.createObjectNode();
        spec.put("version", "0.2");
        spec.putObject("env").putArray("exported-variables").add(CodeBuildRunner.PUSHED_DIGEST);
        ObjectNode phases = spec.putObject("phases");
        phases.putObject("install").putArray("commands")
                .add("command -v buildah >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq buildah) || dnf install -y -q buildah");
        ArrayNode pre = phases.putObject("pre_build").putArray("commands");
        pre.add("export " + WORK_VARIABLE + "=\"${" + WORK_VARIABLE + ":-$(mktemp -d)}\"");
        pre.add("mkdir -p \"" + CONTEXT + "/ca-certificates\"");
        pre.add(write(ContainerfileGenerator.containerfile(customisation, request.base().pinned()).getBytes(StandardCharsets.UTF_8),
                CONTEXT + "/" + ContainerfileGenerator.CONTAINERFILE));
        for (Map.Entry<String, byte[]> file : ContainerfileGenerator.contextFiles(customisation).entrySet()) {
            pre.add(write(file.getValue(), CONTEXT + "/" + file.getKey()));
        }
        for (String host : new TreeSet<>(List.of(host(request.base().repository()), host(request.targetRepository())))) {
            Matcher ecr = ECR_HOST.matcher(host);
            if (ecr.matches()) {
                pre.add("aws ecr get-login-password --region " + ecr.group(1) + " | buildah login --username AWS --password-stdin " + host);
            }
        }
        ArrayNode build = phases.putObject("build").putArray("commands");
        String storage = "buildah --storage-driver vfs";
        StringBuilder bud = new StringBuilder(storage).append(" bud --isolation chroot --format oci --pull=always --from \"$")
                .append(Rebuilder.ENV_BASE_IMAGE).append('"');
        for (String key : List.of(BaseImageEvidence.BASE_NAME, BaseImageEvidence.BASE_DIGEST)) {
            String variable = key.equals(BaseImageEvidence.BASE_NAME) ? Rebuilder.ENV_BASE_NAME : Rebuilder.ENV_BASE_DIGEST;
            bud.append(" --annotation \"").append(key).append("=$").append(variable).append('"')
                    .append(" --label \"").append(key).append("=$").append(variable).append('"');
        }
        bud.append(" -f \"").append(CONTEXT).append('/').append(ContainerfileGenerator.CONTAINERFILE).append("\" -t ").append(LOCAL_IMAGE)
                .append(" \"").append(CONTEXT).append('"');
        build.add(bud.toString());
        build.add(storage + " push --digestfile \"" + DIGEST_FILE + "\" " + LOCAL_IMAGE + " \"docker://$" + Rebuilder.ENV_TARGET_REPOSITORY
                + ":$" + Rebuilder.ENV_TARGET_TAG + "\"");
        build.add("export " + CodeBuildRunner.PUSHED_DIGEST + "=\"$(cat \"" + DIGEST_FILE + "\")\"");
        // The SBOM of the pushed image: cdxgen cannot run in Lambda, so the build makes it and attaches it as a referrer
        // naming this build, which the hardener validates and signs (BuildAttachedSbom, docs/rebuilds.md).
        ((ObjectNode) phases.get("install")).withArray("commands").add("command -v cdxgen >/dev/null 2>&1 || npm install -g --no-fund --no-audit @cyclonedx/cdxgen@12.8.4");
        ArrayNode sbom = phases.putObject("post_build").putArray("commands");
        sbom.add(storage + " push " + LOCAL_IMAGE + " \"oci-archive:" + IMAGE_ARCHIVE + "\"");
        sbom.add("cdxgen -t docker --spec-version " + CdxgenSbom.SPEC_VERSION + " -o \"" + BOM + "\" \"" + IMAGE_ARCHIVE + "\"");
        sbom.add(write(BuildAttachedSbom.attachScript().getBytes(StandardCharsets.UTF_8), WORK + "/" + BuildAttachedSbom.ATTACH_SCRIPT));
        Matcher targetEcr = ECR_HOST.matcher(host(request.targetRepository()));
        sbom.add((targetEcr.matches() ? "GATEHOUSE_REGISTRY_AUTHORIZATION=\"Basic $(printf 'AWS:%s' \"$(aws ecr get-login-password --region "
                + targetEcr.group(1) + ")\" | base64 -w0)\" " : "") + "node \"" + WORK + "/" + BuildAttachedSbom.ATTACH_SCRIPT + "\" \"$"
                + Rebuilder.ENV_TARGET_REPOSITORY + "\" \"$" + CodeBuildRunner.PUSHED_DIGEST + "\" \"" + BOM + "\" \"$CODEBUILD_BUILD_ID\"");
        String yaml;
        try {
            yaml = YAML.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IOException("could not write the buildspec: " + e.getOriginalMessage(), e);
        }
        if (yaml.length() > MAX_BYTES) {
            throw new IOException("the buildspec of " + request.target() + " would be " + yaml.length() + " bytes, more than " + MAX_BYTES
                    + " (the customisation's CA certificates go inline)");
        }
        return yaml;
    }

    private static String write(byte[] content, String path) {
        return "echo " + Base64.getEncoder().encodeToString(content) + " | base64 -d > \"" + path + "\"";
    }

    private static String host(String repository) {
        return repository.substring(0, repository.indexOf('/'));
    }
}
