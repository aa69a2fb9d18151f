package dev.gatehouse.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.attestation.TrustedBuilders.Style;
import java.util.ArrayList;
import java.util.List;

/**
 * SLSA provenance v0.2 or v1 as GitHub Actions builders write it, read through one view: builder,
 * build type, source (first material / resolved dependency), the trigger, branch and tag from the
 * GitHub context, and the workflow inputs. The style (from the trusted builders list) says where
 * each lives: generator provenance v0.2 keeps the context in {@code invocation.environment} with
 * lower-case keys; delegator (BYOB) and v1 provenance use upper-case keys, and a delegator's
 * branch or tag is the ref of its source.
 */
public final class GhaProvenance {

    public static final String SLSA_V02 = "https://slsa.dev/provenance/v0.2";
    public static final String SLSA_V1 = "https://slsa.dev/provenance/v1";

    /** A resolved dependency or material: the base image is one of these. */
    public record Dependency(String uri, java.util.Map<String, String> digest) {}

    private final InTotoStatement statement;
    private final Style style;
    private final boolean v1;
    private final JsonNode predicate;

    GhaProvenance(InTotoStatement statement, Style style) throws ProvenanceException {
        this.statement = statement;
        this.style = style;
        this.v1 = SLSA_V1.equals(statement.predicateType());
        if (!v1 && !SLSA_V02.equals(statement.predicateType())) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "unexpected predicate type '" + statement.predicateType() + "'");
        }
        this.predicate = statement.predicate();
        if (!predicate.isObject()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "in-toto statement at /predicate: missing or not an object");
        }
    }

    /** The builder id a statement claims, before its style is known. */
    static String claimedBuilderId(InTotoStatement statement) {
        JsonNode p = statement.predicate();
        return SLSA_V1.equals(statement.predicateType()) ? p.path("runDetails").path("builder").path("id").asText("")
                : p.path("builder").path("id").asText("");
    }

    static String claimedBuildType(InTotoStatement statement) {
        JsonNode p = statement.predicate();
        return SLSA_V1.equals(statement.predicateType()) ? p.path("buildDefinition").path("buildType").asText("")
                : p.path("buildType").asText("");
    }

    public InTotoStatement statement() {
        return statement;
    }

    public Style style() {
        return style;
    }

    public String builderId() {
        return claimedBuilderId(statement);
    }

    public String buildType() {
        return claimedBuildType(statement);
    }

    public List<Dependency> resolvedDependencies() {
        JsonNode list = v1 ? predicate.path("buildDefinition").path("resolvedDependencies") : predicate.path("materials");
        List<Dependency> out = new ArrayList<>();
        for (JsonNode d : list) {
            java.util.Map<String, String> digest = new java.util.LinkedHashMap<>();
            d.path("digest").fields().forEachRemaining(e -> digest.put(e.getKey(), e.getValue().asText()));
            out.add(new Dependency(d.path("uri").asText(""), digest));
        }
        return out;
    }

    String sourceUri() throws ProvenanceException {
        List<Dependency> deps = resolvedDependencies();
        if (deps.isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, v1 ? "empty resolvedDependencies" : "no material");
        }
        String uri = deps.get(0).uri();
        if (uri.isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.MALFORMED_URI, "empty source URI");
        }
        return uri;
    }

    String triggerUri() throws ProvenanceException {
        if (!v1) {
            String uri = predicate.path("invocation").path("configSource").path("uri").asText("");
            if (uri.isEmpty()) {
                throw new ProvenanceException(SlsaVerifierError.MALFORMED_URI, "empty invocation.configSource.uri");
            }
            return uri;
        }
        if (style == Style.GITHUB_WORKFLOW) {
            JsonNode workflow = predicate.path("buildDefinition").path("externalParameters").path("workflow");
            if (!workflow.path("repository").isTextual() || !workflow.path("ref").isTextual()) {
                throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, "externalParameters.workflow needs repository and ref");
            }
            return "git+" + workflow.get("repository").asText() + "@" + workflow.get("ref").asText();
        }
        String workflowRef = string(environment(), "GITHUB_WORKFLOW_REF");
        String[] parts = workflowRef.split("@", -1);
        if (parts.length != 2) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, "GITHUB_WORKFLOW_REF '" + workflowRef + "'");
        }
        String[] path = parts[0].split("/");
        if (path.length < 2 || parts[1].isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.MALFORMED_URI, "GITHUB_WORKFLOW_REF '" + workflowRef + "'");
        }
        return "git+https://github.com/" + path[0] + "/" + path[1] + "@" + parts[1];
    }

    /** The GitHub context: {@code invocation.environment} (v0.2) or {@code buildDefinition.internalParameters} (v1). */
    JsonNode environment() throws ProvenanceException {
        JsonNode env = v1 ? predicate.path("buildDefinition").path("internalParameters") : predicate.path("invocation").path("environment");
        if (!env.isObject()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, v1 ? "internalParameters is not an object" : "invocation.environment is not an object");
        }
        return env;
    }

    private boolean upperCaseKeys() {
        return v1 || style == Style.DELEGATOR;
    }

    private String key(String name) {
        return upperCaseKeys() ? name.toUpperCase() : name;
    }

    /** The branch ref ({@code refs/heads/...}) the build ran on; empty when unknown. */
    String branchRef() throws ProvenanceException {
        if (style == Style.DELEGATOR) {
            String ref = sourceRef();
            return switch (GitRef.refType(ref)) {
                case "heads" -> ref;
                case "tags" -> contextBranch();
                default -> throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "unknown ref type of '" + ref + "'");
            };
        }
        return contextBranch();
    }

    /** The tag ref ({@code refs/tags/...}) the build ran on; empty when it ran on a branch. */
    String tagRef() throws ProvenanceException {
        if (style == Style.DELEGATOR) {
            String ref = sourceRef();
            return switch (GitRef.refType(ref)) {
                case "heads" -> "";
                case "tags" -> ref;
                default -> throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "unknown ref type of '" + ref + "'");
            };
        }
        JsonNode env = environment();
        String refType = string(env, key("github_ref_type"));
        return switch (refType) {
            case "branch" -> "";
            case "tag" -> string(env, key("github_ref"));
            default -> throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "unknown ref type '" + refType + "'");
        };
    }

    private String sourceRef() throws ProvenanceException {
        String uri = sourceUri();
        String ref = GitRef.parseUri(uri).ref();
        if (ref.isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "no ref in source '" + uri + "'");
        }
        return ref;
    }

    private String contextBranch() throws ProvenanceException {
        JsonNode env = environment();
        String refType = string(env, key("github_ref_type"));
        switch (refType) {
            case "branch":
                return string(env, key("github_ref"));
            case "tag":
                break;
            default:
                throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "unknown ref type '" + refType + "'");
        }
        String baseRef = string(env, key("github_base_ref"));
        if (!baseRef.isEmpty()) {
            return baseRef;
        }
        String event = string(env, key("github_event_name"));
        JsonNode payload = eventPayload(env);
        return switch (event) {
            case "push" -> {
                if (!payload.has("base_ref")) {
                    throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "event payload has no base_ref");
                }
                yield payload.get("base_ref").isTextual() ? payload.get("base_ref").asText() : "";
            }
            case "release" -> {
                JsonNode release = payload.path("release");
                if (!release.isObject()) {
                    throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "release absent from the event payload");
                }
                yield "refs/heads/" + string(release, "target_commitish");
            }
            default -> "";
        };
    }

    /** The {@code workflow_dispatch} inputs; other triggers have none. */
    JsonNode workflowInputs() throws ProvenanceException {
        JsonNode env = environment();
        String event = string(env, key("github_event_name"));
        if (!event.equals("workflow_dispatch")) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_WORKFLOW_INPUTS, "expected a 'workflow_dispatch' trigger, got '" + event + "'");
        }
        JsonNode inputs = eventPayload(env).get("inputs");
        if (inputs == null || !inputs.isObject()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "event payload inputs missing or not an object");
        }
        return inputs;
    }

    private JsonNode eventPayload(JsonNode env) throws ProvenanceException {
        JsonNode payload = env.get(key("github_event_payload"));
        if (payload == null || !payload.isObject()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "event payload missing or not an object");
        }
        return payload;
    }

    static String string(JsonNode node, String field) throws ProvenanceException {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "no '" + field + "' in the build context");
        }
        if (!v.isTextual()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "'" + field + "' is not a string");
        }
        return v.asText();
    }
}
