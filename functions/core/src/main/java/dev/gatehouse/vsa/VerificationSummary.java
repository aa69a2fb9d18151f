package dev.gatehouse.vsa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.attestation.InTotoStatement;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A SLSA Verification Summary (predicate {@value #PREDICATE_TYPE}): who verified which artifact,
 * when, against which policy, from which attestations, with what result and at which SLSA levels.
 *
 * <p>Gatehouse keys a verdict by image digest, policy revision and trust configuration digest (as
 * the verdict cache does, {@code VerdictCache.Key}); a VSA records the last two as annotations of
 * its {@code policy} resource descriptor, so a VSA and a cache entry answer the same question.
 */
public record VerificationSummary(List<InTotoStatement.Subject> subjects, String verifierId, Map<String, String> verifierVersion,
                                  Instant timeVerified, String resourceUri, Policy policy,
                                  List<ResourceDescriptor> inputAttestations, Result result, List<String> verifiedLevels,
                                  Map<String, Integer> dependencyLevels, String slsaVersion) {

    public static final String PREDICATE_TYPE = "https://slsa.dev/verification_summary/v1";
    public static final String FORMAT = "verification summary";
    /** Annotation of {@code policy} naming the policy bundle revision that decided. */
    public static final String POLICY_REVISION_ANNOTATION = "dev.gatehouse.policy.revision";
    /** Annotation of {@code policy} naming the digest of the trust configuration in force. */
    public static final String TRUST_CONFIGURATION_ANNOTATION = "dev.gatehouse.trust-configuration.digest";
    /** Annotation of {@code policy} with the policy's decision: {@code allow}, {@code warn} or {@code deny}. */
    public static final String DECISION_ANNOTATION = "dev.gatehouse.decision";
    static final int MAX_ENTRIES = 10_000;

    public enum Result { PASSED, FAILED }

    /**
     * The policy the subject was checked against; revision, trust configuration and decision are
     * Gatehouse's (a PASSED summary may have passed with warnings: {@code decision} tells).
     */
    public record Policy(String uri, Map<String, String> digest, String revision, String trustConfiguration, String decision) {
        public Policy {
            digest = Map.copyOf(digest);
        }
    }

    /** An in-toto resource descriptor reduced to what a VSA needs: where, and its digests. */
    public record ResourceDescriptor(String uri, Map<String, String> digest) {
        public ResourceDescriptor {
            digest = Map.copyOf(digest);
        }
    }

    public VerificationSummary {
        subjects = List.copyOf(subjects);
        verifierVersion = Map.copyOf(verifierVersion);
        inputAttestations = List.copyOf(inputAttestations);
        verifiedLevels = List.copyOf(verifiedLevels);
        dependencyLevels = Map.copyOf(dependencyLevels);
        Objects.requireNonNull(result, "result");
    }

    /**
     * What this summary decides, as one token: the subject digests, the policy revision, the trust
     * configuration and the result. Two summaries with the same token say the same thing.
     */
    public String verdictKey() {
        StringBuilder text = new StringBuilder();
        subjects.stream().flatMap(s -> s.digest().entrySet().stream()).map(e -> e.getKey() + ":" + e.getValue()).sorted()
                .forEach(d -> text.append(d).append('\n'));
        text.append(policy.revision()).append('\n').append(policy.trustConfiguration()).append('\n').append(result)
                .append('\n').append(policy.decision());
        return dev.gatehouse.oci.Digest.sha256(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex();
    }

    /** The in-toto v1 statement carrying this summary, as the bytes a DSSE envelope signs. */
    public byte[] toStatement() {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("_type", InTotoStatement.V1);
        ArrayNode subject = root.putArray("subject");
        for (InTotoStatement.Subject s : subjects) {
            ObjectNode n = subject.addObject();
            n.put("name", s.name());
            digestJson(n.putObject("digest"), s.digest());
        }
        root.put("predicateType", PREDICATE_TYPE);
        root.set("predicate", predicateJson());
        try {
            return UntrustedJson.mapper().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a verification summary", e);
        }
    }

    ObjectNode predicateJson() {
        ObjectNode p = UntrustedJson.mapper().createObjectNode();
        ObjectNode verifier = p.putObject("verifier");
        verifier.put("id", verifierId);
        if (!verifierVersion.isEmpty()) {
            digestJson(verifier.putObject("version"), verifierVersion);
        }
        p.put("timeVerified", timeVerified.toString());
        p.put("resourceUri", resourceUri);
        ObjectNode policyNode = p.putObject("policy");
        policyNode.put("uri", policy.uri());
        if (!policy.digest().isEmpty()) {
            digestJson(policyNode.putObject("digest"), policy.digest());
        }
        Map<String, String> annotations = new TreeMap<>();
        if (policy.revision() != null) {
            annotations.put(POLICY_REVISION_ANNOTATION, policy.revision());
        }
        if (policy.trustConfiguration() != null) {
            annotations.put(TRUST_CONFIGURATION_ANNOTATION, policy.trustConfiguration());
        }
        if (policy.decision() != null) {
            annotations.put(DECISION_ANNOTATION, policy.decision());
        }
        if (!annotations.isEmpty()) {
            digestJson(policyNode.putObject("annotations"), annotations);
        }
        ArrayNode inputs = p.putArray("inputAttestations");
        for (ResourceDescriptor d : inputAttestations) {
            ObjectNode n = inputs.addObject();
            if (d.uri() != null) {
                n.put("uri", d.uri());
            }
            digestJson(n.putObject("digest"), d.digest());
        }
        p.put("verificationResult", result.name());
        ArrayNode levels = p.putArray("verifiedLevels");
        verifiedLevels.forEach(levels::add);
        if (!dependencyLevels.isEmpty()) {
            ObjectNode deps = p.putObject("dependencyLevels");
            new TreeMap<>(dependencyLevels).forEach(deps::put);
        }
        if (slsaVersion != null) {
            p.put("slsaVersion", slsaVersion);
        }
        return p;
    }

    private static void digestJson(ObjectNode node, Map<String, String> values) {
        new TreeMap<>(values).forEach(node::put);
    }

    /**
     * Reads the summary of a parsed statement. Missing fields read as empty, as slsa-verifier reads
     * them (its checks then name what is missing); a field of the wrong type is malformed.
     */
    public static VerificationSummary fromStatement(InTotoStatement statement) throws MalformedInputException {
        if (!PREDICATE_TYPE.equals(statement.predicateType())) {
            throw new MalformedInputException(FORMAT, "/predicateType", "expected " + PREDICATE_TYPE + ", found '"
                    + statement.predicateType() + "'");
        }
        JsonNode p = statement.predicate();
        if (!p.isObject()) {
            throw new MalformedInputException(FORMAT, "/predicate", "expected an object");
        }
        JsonNode verifier = object(p, "verifier", "/predicate");
        String verifierId = text(verifier, "id", "/predicate/verifier");
        Map<String, String> version = strings(verifier, "version", "/predicate/verifier");
        Instant time = null;
        String timeText = text(p, "timeVerified", "/predicate");
        if (!timeText.isEmpty()) {
            try {
                time = Instant.parse(timeText);
            } catch (DateTimeParseException e) {
                throw new MalformedInputException(FORMAT, "/predicate/timeVerified", "not an RFC 3339 time: '" + timeText + "'");
            }
        }
        JsonNode policyNode = object(p, "policy", "/predicate");
        Map<String, String> annotations = strings(policyNode, "annotations", "/predicate/policy");
        Policy policy = new Policy(text(policyNode, "uri", "/predicate/policy"), strings(policyNode, "digest", "/predicate/policy"),
                annotations.get(POLICY_REVISION_ANNOTATION), annotations.get(TRUST_CONFIGURATION_ANNOTATION),
                annotations.get(DECISION_ANNOTATION));
        List<ResourceDescriptor> inputs = new ArrayList<>();
        JsonNode inputNode = p.path("inputAttestations");
        if (!inputNode.isMissingNode() && !inputNode.isNull()) {
            if (!inputNode.isArray() || inputNode.size() > MAX_ENTRIES) {
                throw new MalformedInputException(FORMAT, "/predicate/inputAttestations", "expected an array of at most " + MAX_ENTRIES);
            }
            for (int i = 0; i < inputNode.size(); i++) {
                String at = "/predicate/inputAttestations/" + i;
                JsonNode d = inputNode.get(i);
                if (!d.isObject()) {
                    throw new MalformedInputException(FORMAT, at, "expected an object");
                }
                String uri = text(d, "uri", at);
                inputs.add(new ResourceDescriptor(uri.isEmpty() ? null : uri, strings(d, "digest", at)));
            }
        }
        // Anything but PASSED (FAILED, empty, a foreign value) is a failed verification.
        Result result = "PASSED".equals(text(p, "verificationResult", "/predicate")) ? Result.PASSED : Result.FAILED;
        List<String> levels = new ArrayList<>();
        JsonNode levelNode = p.path("verifiedLevels");
        if (!levelNode.isMissingNode() && !levelNode.isNull()) {
            if (!levelNode.isArray() || levelNode.size() > MAX_ENTRIES) {
                throw new MalformedInputException(FORMAT, "/predicate/verifiedLevels", "expected an array of at most " + MAX_ENTRIES);
            }
            for (int i = 0; i < levelNode.size(); i++) {
                if (!levelNode.get(i).isTextual()) {
                    throw new MalformedInputException(FORMAT, "/predicate/verifiedLevels/" + i, "not a string");
                }
                levels.add(levelNode.get(i).asText());
            }
        }
        Map<String, Integer> dependencyLevels = new LinkedHashMap<>();
        JsonNode deps = p.path("dependencyLevels");
        if (!deps.isMissingNode() && !deps.isNull()) {
            if (!deps.isObject() || deps.size() > MAX_ENTRIES) {
                throw new MalformedInputException(FORMAT, "/predicate/dependencyLevels", "expected an object of at most " + MAX_ENTRIES);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().canConvertToInt() || !e.getValue().isIntegralNumber()) {
                    throw new MalformedInputException(FORMAT, "/predicate/dependencyLevels/" + e.getKey(), "not an integer");
                }
                dependencyLevels.put(e.getKey(), e.getValue().asInt());
            }
        }
        String slsaVersion = text(p, "slsaVersion", "/predicate");
        return new VerificationSummary(statement.subjects(), verifierId, version, time, text(p, "resourceUri", "/predicate"),
                policy, inputs, result, levels, dependencyLevels, slsaVersion.isEmpty() ? null : slsaVersion);
    }

    private static JsonNode object(JsonNode node, String field, String at) throws MalformedInputException {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return UntrustedJson.mapper().createObjectNode();
        }
        if (!v.isObject()) {
            throw new MalformedInputException(FORMAT, at + "/" + field, "expected an object");
        }
        return v;
    }

    private static String text(JsonNode node, String field, String at) throws MalformedInputException {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new MalformedInputException(FORMAT, at + "/" + field, "not a string");
        }
        return v.asText();
    }

    private static Map<String, String> strings(JsonNode node, String field, String at) throws MalformedInputException {
        JsonNode v = object(node, field, at);
        if (v.size() > MAX_ENTRIES) {
            throw new MalformedInputException(FORMAT, at + "/" + field, "more than " + MAX_ENTRIES + " entries");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new MalformedInputException(FORMAT, at + "/" + field + "/" + e.getKey(), "not a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
