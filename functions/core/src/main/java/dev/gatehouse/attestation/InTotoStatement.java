package dev.gatehouse.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-toto Statement, v0.1 or v1: the subjects (name and digest set) it makes a claim about, the
 * predicate type and the predicate, kept as a bounded JSON tree for the predicate parsers.
 */
public record InTotoStatement(String type, String predicateType, List<Subject> subjects, JsonNode predicate, JsonNode json) {

    public static final String FORMAT = "in-toto statement";
    public static final String V01 = "https://in-toto.io/Statement/v0.1";
    public static final String V1 = "https://in-toto.io/Statement/v1";
    /** The layer annotation Docker's attestation manifests name a statement's predicate type with. */
    public static final String PREDICATE_TYPE_ANNOTATION = "in-toto.io/predicate-type";
    static final int MAX_SUBJECTS = 10_000;

    /** One subject; digest algorithm names are lower case ({@code sha256}, {@code sha512}, {@code gitCommit}...). */
    public record Subject(String name, Map<String, String> digest) {
        public Subject {
            digest = Map.copyOf(digest);
        }
    }

    public InTotoStatement {
        subjects = List.copyOf(subjects);
    }

    public static InTotoStatement parse(byte[] payload) throws MalformedInputException {
        return fromJson(UntrustedJson.parseObject(payload, FORMAT));
    }

    public static InTotoStatement fromJson(JsonNode node) throws MalformedInputException {
        if (!node.isObject()) {
            throw new MalformedInputException(FORMAT, "/", "expected an object");
        }
        String type = node.path("_type").asText("");
        if (!V01.equals(type) && !V1.equals(type)) {
            throw new MalformedInputException(FORMAT, "/_type", "expected " + V01 + " or " + V1 + ", found '" + type + "'");
        }
        JsonNode pt = node.get("predicateType");
        if (pt == null || !pt.isTextual() || pt.asText().isEmpty()) {
            throw new MalformedInputException(FORMAT, "/predicateType", "missing or not a string");
        }
        JsonNode subjectNode = node.get("subject");
        if (subjectNode == null || !subjectNode.isArray()) {
            throw new MalformedInputException(FORMAT, "/subject", "missing or not an array");
        }
        if (subjectNode.size() > MAX_SUBJECTS) {
            throw new MalformedInputException(FORMAT, "/subject", "more than " + MAX_SUBJECTS + " subjects");
        }
        List<Subject> subjects = new ArrayList<>();
        for (int i = 0; i < subjectNode.size(); i++) {
            JsonNode s = subjectNode.get(i);
            String at = "/subject/" + i;
            if (!s.isObject()) {
                throw new MalformedInputException(FORMAT, at, "expected an object");
            }
            JsonNode digest = s.get("digest");
            if (digest == null || !digest.isObject()) {
                throw new MalformedInputException(FORMAT, at + "/digest", "missing or not an object");
            }
            Map<String, String> digests = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = digest.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new MalformedInputException(FORMAT, at + "/digest/" + e.getKey(), "not a string");
                }
                digests.put(e.getKey(), e.getValue().asText());
            }
            subjects.add(new Subject(s.path("name").asText(""), digests));
        }
        return new InTotoStatement(type, pt.asText(), subjects, node.path("predicate"), node);
    }

    /** True when a subject carries {@code hex} under {@code algorithm} (e.g. sha256). */
    public boolean hasSubject(String algorithm, String hex) {
        for (Subject s : subjects) {
            if (hex.equalsIgnoreCase(s.digest().getOrDefault(algorithm, ""))) {
                return true;
            }
        }
        return false;
    }
}
