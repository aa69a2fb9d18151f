package dev.gatehouse.rebuild;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.BuildRunner;

/**
 * The SLSA provenance v1 predicate (https://slsa.dev/spec/v1.0/provenance) of a rebuild: the runner
 * as builder, the target and base as external parameters, and the pinned base digest (plus the
 * catalog's source, when it names one) among the resolved dependencies, so the image graph and
 * the policy input read the base from signed provenance.
 */
public final class RebuildProvenance {

    public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
    /** The build type of every Gatehouse rebuild: a build definition rebuilt on a pinned base digest. */
    public static final String BUILD_TYPE = "https://gatehouse.dev/buildtypes/rebuild/v1";

    private RebuildProvenance() {}

    /**
     * @param builderId the runner's builder id (docs/rebuilds.md), as trusted-builders lists name it
     * @param source where the build definition lives, or null when unknown
     */
    public static ObjectNode predicate(BuildRunner.BuildRequest request, BuildRunner.Succeeded result, String builderId, String source) {
        ObjectNode p = UntrustedJson.mapper().createObjectNode();
        ObjectNode definition = p.putObject("buildDefinition");
        definition.put("buildType", BUILD_TYPE);
        ObjectNode external = definition.putObject("externalParameters");
        if (source != null) {
            external.put("source", source);
        }
        external.put("target", request.target());
        external.put("base", request.base().name());
        external.put("definition", kind(request.definition()));
        if (request.definition() instanceof BuildDefinition.CodeBuildProject project) {
            external.put("codebuildProject", project.project());
        } else if (request.definition() instanceof BuildDefinition.Customised customised && customised.codebuildProject() != null) {
            external.put("codebuildProject", customised.codebuildProject());
        }
        definition.putObject("internalParameters").put("attempt", request.attempt());
        var dependencies = definition.putArray("resolvedDependencies");
        ObjectNode base = dependencies.addObject();
        base.put("name", "base-image");
        base.put("uri", "oci://" + request.base().name());
        base.putObject("digest").put(request.base().digest().algorithm(), request.base().digest().hex());
        if (source != null) {
            dependencies.addObject().put("name", "source").put("uri", source);
        }
        ObjectNode run = p.putObject("runDetails");
        run.putObject("builder").put("id", builderId);
        ObjectNode metadata = run.putObject("metadata");
        metadata.put("invocationId", result.buildId());
        if (result.finishedAt() != null) {
            metadata.put("finishedOn", result.finishedAt().toString());
        }
        return p;
    }

    private static String kind(BuildDefinition definition) {
        if (definition instanceof BuildDefinition.Containerfile) {
            return "containerfile";
        }
        return definition instanceof BuildDefinition.Customised ? "customisation" : "codebuild";
    }
}
