package dev.gatehouse.signature;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.io.JsonProblems;
import dev.gatehouse.io.InputFiles;
import dev.gatehouse.io.MalformedInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which signers are trusted for which images, as data (YAML or JSON; see docs/trust-config.md).
 * Policies map registry/repository globs to authorities; every policy whose glob matches an image
 * contributes its authorities, and one verified signature by any of them makes the image trusted.
 * Trusted roots are loaded only when an authority needs one, so a keys-only configuration never
 * reaches TUF or the network.
 */
public record TrustConfig(List<Policy> policies) {

    static final String FORMAT = "trust config";
    private static final int MAX_BYTES = 1024 * 1024;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Images named by globs ({@code *} within a path segment, {@code **} across segments) and their signers. */
    public record Policy(String name, List<String> images, List<Pattern> patterns, List<Authority> authorities) {
        public boolean matches(String imageName) {
            return patterns.stream().anyMatch(p -> p.matcher(imageName).matches());
        }
    }

    /** The authorities of every policy that matches {@code imageName} ({@code registry/repository} or {@code oci:DIR}). */
    public List<Authority> authoritiesFor(String imageName) {
        List<Authority> out = new ArrayList<>();
        for (Policy policy : policies) {
            if (policy.matches(imageName)) {
                out.addAll(policy.authorities());
            }
        }
        return out;
    }

    public static TrustConfig read(Path file) throws MalformedInputException {
        byte[] content = InputFiles.read(file, FORMAT, MAX_BYTES);
        Path base = file.toAbsolutePath().getParent();
        JsonNode root;
        try {
            root = YAML.readTree(content);
        } catch (JsonProcessingException e) {
            throw new MalformedInputException(FORMAT, file + (e.getLocation() == null ? ""
                    : " line " + e.getLocation().getLineNr()), JsonProblems.describeFirstLine(e));
        } catch (IOException e) {
            throw new MalformedInputException(FORMAT, file.toString(), "unreadable: " + e.getMessage());
        }
        return parse(root, base, file.toString());
    }

    static TrustConfig parse(JsonNode root, Path base, String source) throws MalformedInputException {
        if (root == null || !root.isObject()) {
            throw bad(source, "/", "expected a mapping with 'policies'");
        }
        only(root, source, "", Set.of("version", "policies"));
        JsonNode list = root.path("policies");
        if (!list.isArray() || list.isEmpty()) {
            throw bad(source, "/policies", "expected a non-empty list");
        }
        List<Policy> policies = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            policies.add(policy(list.get(i), base, source, "/policies/" + i));
        }
        return new TrustConfig(List.copyOf(policies));
    }

    private static Policy policy(JsonNode node, Path base, String source, String where) throws MalformedInputException {
        only(node, source, where, Set.of("name", "images", "authorities"));
        String name = node.path("name").asText("policy" + where);
        JsonNode images = node.path("images");
        if (!images.isArray() || images.isEmpty()) {
            throw bad(source, where + "/images", "expected a non-empty list of registry/repository globs");
        }
        List<String> globs = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        for (JsonNode image : images) {
            if (!image.isTextual() || image.asText().isBlank()) {
                throw bad(source, where + "/images", "globs must be non-empty strings");
            }
            globs.add(image.asText());
            patterns.add(glob(image.asText()));
        }
        JsonNode authorities = node.path("authorities");
        if (!authorities.isArray() || authorities.isEmpty()) {
            throw bad(source, where + "/authorities", "expected a non-empty list");
        }
        List<Authority> out = new ArrayList<>();
        for (int i = 0; i < authorities.size(); i++) {
            out.add(authority(authorities.get(i), base, source, where + "/authorities/" + i));
        }
        return new Policy(name, List.copyOf(globs), List.copyOf(patterns), List.copyOf(out));
    }

    private static Authority authority(JsonNode node, Path base, String source, String where) throws MalformedInputException {
        only(node, source, where, Set.of("name", "key", "keyless", "tlog", "trustedRoot"));
        String name = node.path("name").asText("authority" + where);
        TrustedRootSource root = node.has("trustedRoot")
                ? TrustedRootSource.file(base.resolve(node.path("trustedRoot").asText()))
                : TrustedRootSource.publicGood();
        if (node.has("key") == node.has("keyless")) {
            throw bad(source, where, "expected exactly one of 'key' and 'keyless'");
        }
        try {
            if (node.has("key")) {
                JsonNode key = node.path("key");
                only(key, source, where + "/key", Set.of("pem", "file"));
                PublicKey publicKey;
                if (key.path("pem").isTextual()) {
                    publicKey = PublicKeys.fromPem(key.path("pem").asText(), source + " " + where + "/key/pem");
                } else if (key.path("file").isTextual()) {
                    publicKey = PublicKeys.read(base.resolve(key.path("file").asText()));
                } else {
                    throw bad(source, where + "/key", "expected 'pem' or 'file'");
                }
                return Authority.key(name, publicKey, tlog(node, source, where, TlogRequirement.REQUIRED), root);
            }
            JsonNode keyless = node.path("keyless");
            only(keyless, source, where + "/keyless", Set.of("issuer", "issuerRegExp", "subject", "subjectRegExp", "sct"));
            if (keyless.has("sct") && !keyless.path("sct").asText().equals("required")) {
                throw bad(source, where + "/keyless/sct", "only 'required' is supported: Fulcio certificates must carry a valid SCT");
            }
            if (tlog(node, source, where, TlogRequirement.REQUIRED) != TlogRequirement.REQUIRED) {
                throw bad(source, where + "/tlog", "keyless authorities need tlog: required");
            }
            CertificateIdentity identity = new CertificateIdentity(
                    match(keyless, "subject", source, where + "/keyless"), match(keyless, "issuer", source, where + "/keyless"));
            return Authority.keyless(name, identity, root);
        } catch (IllegalArgumentException e) {
            throw bad(source, where, e.getMessage());
        }
    }

    private static CertificateIdentity.StringMatch match(JsonNode node, String field, String source, String where)
            throws MalformedInputException {
        boolean exact = node.path(field).isTextual();
        boolean regexp = node.path(field + "RegExp").isTextual();
        if (exact == regexp) {
            throw bad(source, where, "expected exactly one of '" + field + "' and '" + field + "RegExp'");
        }
        if (exact) {
            return CertificateIdentity.StringMatch.exact(node.path(field).asText());
        }
        try {
            return CertificateIdentity.StringMatch.regexp(node.path(field + "RegExp").asText());
        } catch (IllegalArgumentException e) {
            throw bad(source, where + "/" + field + "RegExp", e.getMessage());
        }
    }

    private static TlogRequirement tlog(JsonNode node, String source, String where, TlogRequirement fallback)
            throws MalformedInputException {
        if (!node.has("tlog")) {
            return fallback;
        }
        return switch (node.path("tlog").asText()) {
            case "required" -> TlogRequirement.REQUIRED;
            case "optional" -> TlogRequirement.OPTIONAL;
            case "none" -> TlogRequirement.NONE;
            default -> throw bad(source, where + "/tlog", "expected required, optional or none");
        };
    }

    /** Unknown keys are errors: a misspelt requirement must not silently weaken a policy. */
    private static void only(JsonNode node, String source, String where, Set<String> allowed) throws MalformedInputException {
        if (!node.isObject()) {
            throw bad(source, where.isEmpty() ? "/" : where, "expected a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw bad(source, where + "/" + field, "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    /** {@code **} crosses path segments, {@code *} and {@code ?} stay within one. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static MalformedInputException bad(String source, String where, String problem) {
        return new MalformedInputException(FORMAT, source + " " + where, problem);
    }
}
