package dev.gatehouse.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.io.UntrustedJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Normalises a verified SLSA provenance predicate (v0.2 or v1) into the policy input's
 * provenance facts. The builder is trusted when the trusted-builders list names it (without its
 * version); its Build level is the list's level for it, and L1 for any other builder whose signed
 * provenance verified (docs/slsa-levels.md).
 */
final class ProvenanceFacts {

    static final String SLSA_V02 = "https://slsa.dev/provenance/v0.2";
    static final String SLSA_V1 = "https://slsa.dev/provenance/v1";

    private ProvenanceFacts() {}

    static boolean isProvenance(String predicateType) {
        return SLSA_V02.equals(predicateType) || SLSA_V1.equals(predicateType) || "https://slsa.dev/provenance/v0.1".equals(predicateType);
    }

    static Facts.Provenance of(VerifiedStatement statement, TrustedBuilders builders) {
        JsonNode p = statement.predicate();
        boolean v1 = SLSA_V1.equals(statement.predicateType());
        String builderId = v1 ? p.at("/runDetails/builder/id").asText("") : p.at("/builder/id").asText("");
        String buildType = v1 ? p.at("/buildDefinition/buildType").asText("") : p.path("buildType").asText("");
        List<Facts.Dependency> deps = new ArrayList<>();
        for (JsonNode d : v1 ? p.at("/buildDefinition/resolvedDependencies") : p.path("materials")) {
            deps.add(new Facts.Dependency(d.path("uri").asText(""), strings(d.path("digest"))));
        }
        String sourceUri;
        Map<String, String> sourceDigest = Map.of();
        Map<String, Object> inputs;
        if (v1) {
            JsonNode ext = p.at("/buildDefinition/externalParameters");
            JsonNode workflow = ext.path("workflow");
            if (workflow.isObject() && workflow.has("repository")) {
                sourceUri = "git+" + workflow.path("repository").asText() + "@" + workflow.path("ref").asText("");
            } else if (ext.path("source").isTextual()) {
                sourceUri = ext.path("source").asText();
            } else {
                sourceUri = deps.stream().map(Facts.Dependency::uri).filter(u -> u.startsWith("git+")).findFirst().orElse("");
            }
            for (Facts.Dependency d : deps) {
                if (d.uri().equals(sourceUri)) {
                    sourceDigest = d.digest();
                }
            }
            inputs = map(ext.path("inputs").isObject() ? ext.path("inputs") : workflow.path("inputs"));
        } else {
            JsonNode config = p.at("/invocation/configSource");
            sourceUri = config.path("uri").asText("");
            sourceDigest = strings(config.path("digest"));
            inputs = map(p.at("/invocation/parameters"));
        }
        String ref = sourceUri.contains("@") ? sourceUri.substring(sourceUri.lastIndexOf('@') + 1) : "";
        String name = builderId.contains("@") ? builderId.substring(0, builderId.indexOf('@')) : builderId;
        var builder = builders.find(name);
        int level = builder.map(TrustedBuilders.Builder::slsaLevel).orElse(1);
        return new Facts.Provenance(statement.predicateType(), builderId, builder.isPresent(), level, buildType, sourceUri, ref,
                sourceDigest, inputs, deps);
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode node) {
        return node.isObject() ? UntrustedJson.mapper().convertValue(node, Map.class) : Map.of();
    }
}
