package dev.gatehouse.handlers.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gatehouse.io.JsonProblems;
import dev.gatehouse.io.MalformedInputException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * How admission treats namespaces and images, as data (YAML or JSON; docs/kubernetes-webhooks.md):
 * the mode per namespace, exemptions, the deadline, verdict caching and the loudly named fail-open
 * switch. Every field has a default; an empty document is the strict configuration (enforce
 * everywhere, nothing exempt, fail closed).
 *
 * @param mode             the mode of namespaces no rule names
 * @param namespaces       per-namespace modes, first matching rule wins
 * @param exemptNamespaces namespace globs admission does not check at all
 * @param exemptImages     {@code registry/repository} globs that are not checked (never tags: a tag is not an identity)
 * @param deadline         when undecided images are given up on; below the webhook's timeoutSeconds
 * @param concurrency      images verified at once, per handler
 * @param cacheTtl         how long an allow or warn verdict is reused
 * @param cacheDenials     whether deny verdicts are cached too (off: a signature attached after a deny counts at once)
 * @param denialCacheTtl   how long a cached deny is reused when {@code cacheDenials} is on
 * @param failOpenUnsafe   admit images that could not be decided (registry down, deadline) instead of denying them
 */
public record AdmissionConfig(AdmissionMode mode, List<NamespaceRule> namespaces, List<Glob> exemptNamespaces,
                              List<Glob> exemptImages, Duration deadline, int concurrency, Duration cacheTtl,
                              boolean cacheDenials, Duration denialCacheTtl, boolean failOpenUnsafe) {

    public static final String FORMAT = "admission config";
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(8);
    static final Duration MAX_DEADLINE = Duration.ofSeconds(29);
    static final int MAX_BYTES = 1024 * 1024;
    static final int MAX_CONCURRENCY = 256;

    private static final ObjectMapper YAML;
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    static {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(20);
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(MAX_BYTES);
        YAML = new YAMLMapper(YAMLFactory.builder().loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(20).build()).build());
    }

    /** A glob: {@code *} within a path segment, {@code **} across segments, {@code ?} one character. */
    public record Glob(String text, Pattern pattern) {

        public static Glob of(String text) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
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
            return new Glob(text, Pattern.compile(regex.toString()));
        }

        public boolean matches(String value) {
            return pattern.matcher(value).matches();
        }
    }

    /** Namespaces matching any of {@code match} get {@code mode}. */
    public record NamespaceRule(List<Glob> match, AdmissionMode mode) {
        public NamespaceRule {
            match = List.copyOf(match);
        }
    }

    public AdmissionConfig {
        namespaces = List.copyOf(namespaces);
        exemptNamespaces = List.copyOf(exemptNamespaces);
        exemptImages = List.copyOf(exemptImages);
        if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(MAX_DEADLINE) > 0) {
            throw new IllegalArgumentException("deadline must be above 0 and at most " + MAX_DEADLINE.toSeconds()
                    + "s (the API server waits at most 30s)");
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency must be 1.." + MAX_CONCURRENCY);
        }
        if (cacheTtl.isNegative() || cacheTtl.isZero() || denialCacheTtl.isNegative() || denialCacheTtl.isZero()) {
            throw new IllegalArgumentException("cache TTLs must be positive");
        }
    }

    /** Enforce everywhere, nothing exempt, 8 s deadline, 16 images at once, allow verdicts cached 10 min, fail closed. */
    public static AdmissionConfig defaults() {
        return new AdmissionConfig(AdmissionMode.ENFORCE, List.of(), List.of(), List.of(), DEFAULT_DEADLINE, 16,
                Duration.ofMinutes(10), false, Duration.ofMinutes(1), false);
    }

    public AdmissionMode modeFor(String namespace) {
        for (NamespaceRule rule : namespaces) {
            if (rule.match().stream().anyMatch(g -> g.matches(namespace))) {
                return rule.mode();
            }
        }
        return mode;
    }

    /** The glob that exempts {@code namespace}, if any. */
    public Optional<String> exemptingNamespace(String namespace) {
        return exemptNamespaces.stream().filter(g -> g.matches(namespace)).map(Glob::text).findFirst();
    }

    /** The glob that exempts {@code repositoryName} ({@code registry/repository}), if any. */
    public Optional<String> exemptingImage(String repositoryName) {
        return exemptImages.stream().filter(g -> g.matches(repositoryName)).map(Glob::text).findFirst();
    }

    public AdmissionConfig withDeadline(Duration newDeadline) {
        return new AdmissionConfig(mode, namespaces, exemptNamespaces, exemptImages, newDeadline, concurrency, cacheTtl,
                cacheDenials, denialCacheTtl, failOpenUnsafe);
    }

    /** Parses the YAML or JSON form; {@code source} names the file in errors. Unknown keys are errors (a typo must not weaken it). */
    public static AdmissionConfig parse(byte[] content, String source) throws MalformedInputException {
        if (content.length > MAX_BYTES) {
            throw new MalformedInputException(FORMAT, source, "larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = YAML.readTree(content);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new MalformedInputException(FORMAT, source + (loc == null || loc.getLineNr() < 0 ? "" : " line " + loc.getLineNr()),
                    JsonProblems.describeFirstLine(e));
        } catch (IOException | RuntimeException e) {
            throw new MalformedInputException(FORMAT, source, "unreadable: " + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return defaults();
        }
        try {
            return parse(root, source);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(FORMAT, source, e.getMessage());
        }
    }

    private static AdmissionConfig parse(JsonNode root, String source) throws MalformedInputException {
        object(root, source, "");
        only(root, source, "", Set.of("version", "mode", "namespaces", "exempt", "deadline", "concurrency", "cache", "failOpenUnsafe"));
        AdmissionConfig d = defaults();
        if (root.has("version") && root.path("version").asInt(-1) != 1) {
            throw bad(source, "/version", "only version 1 is known");
        }
        AdmissionMode mode = root.has("mode") ? mode(root.path("mode"), source, "/mode") : d.mode();
        List<NamespaceRule> rules = new ArrayList<>();
        JsonNode namespaces = root.path("namespaces");
        if (!namespaces.isMissingNode()) {
            if (!namespaces.isArray()) {
                throw bad(source, "/namespaces", "expected a list of {match, mode}");
            }
            for (int i = 0; i < namespaces.size(); i++) {
                String where = "/namespaces/" + i;
                JsonNode rule = namespaces.get(i);
                object(rule, source, where);
                only(rule, source, where, Set.of("match", "mode"));
                List<Glob> match = globs(rule.path("match"), source, where + "/match");
                if (match.isEmpty()) {
                    throw bad(source, where + "/match", "expected a non-empty list of namespace globs");
                }
                if (!rule.has("mode")) {
                    throw bad(source, where + "/mode", "missing mode");
                }
                rules.add(new NamespaceRule(match, mode(rule.path("mode"), source, where + "/mode")));
            }
        }
        JsonNode exempt = root.path("exempt");
        List<Glob> exemptNamespaces = List.of();
        List<Glob> exemptImages = List.of();
        if (!exempt.isMissingNode()) {
            object(exempt, source, "/exempt");
            only(exempt, source, "/exempt", Set.of("namespaces", "images"));
            exemptNamespaces = globs(exempt.path("namespaces"), source, "/exempt/namespaces");
            exemptImages = globs(exempt.path("images"), source, "/exempt/images");
            for (Glob image : exemptImages) {
                String last = image.text().substring(image.text().lastIndexOf('/') + 1);
                if (image.text().contains("@") || last.contains(":")) {
                    throw bad(source, "/exempt/images", "'" + image.text() + "': globs name registry/repository, not tags or digests");
                }
            }
        }
        Duration deadline = root.has("deadline") ? duration(root.path("deadline"), source, "/deadline") : d.deadline();
        int concurrency = d.concurrency();
        if (root.has("concurrency")) {
            if (!root.path("concurrency").canConvertToInt() || !root.path("concurrency").isIntegralNumber()) {
                throw bad(source, "/concurrency", "expected an integer");
            }
            concurrency = root.path("concurrency").asInt();
        }
        Duration ttl = d.cacheTtl();
        boolean cacheDenials = d.cacheDenials();
        Duration denialTtl = d.denialCacheTtl();
        JsonNode cache = root.path("cache");
        if (!cache.isMissingNode()) {
            object(cache, source, "/cache");
            only(cache, source, "/cache", Set.of("ttl", "denials", "denialTtl"));
            if (cache.has("ttl")) {
                ttl = duration(cache.path("ttl"), source, "/cache/ttl");
            }
            if (cache.has("denials")) {
                cacheDenials = bool(cache.path("denials"), source, "/cache/denials");
            }
            if (cache.has("denialTtl")) {
                denialTtl = duration(cache.path("denialTtl"), source, "/cache/denialTtl");
            }
        }
        boolean failOpen = root.has("failOpenUnsafe") ? bool(root.path("failOpenUnsafe"), source, "/failOpenUnsafe") : d.failOpenUnsafe();
        return new AdmissionConfig(mode, rules, exemptNamespaces, exemptImages, deadline, concurrency, ttl, cacheDenials,
                denialTtl, failOpen);
    }

    private static AdmissionMode mode(JsonNode node, String source, String where) throws MalformedInputException {
        try {
            return AdmissionMode.parse(node.isTextual() ? node.asText() : node.toString());
        } catch (IllegalArgumentException e) {
            throw bad(source, where, e.getMessage());
        }
    }

    private static List<Glob> globs(JsonNode node, String source, String where) throws MalformedInputException {
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw bad(source, where, "expected a list of globs");
        }
        List<Glob> out = new ArrayList<>();
        for (JsonNode g : node) {
            if (!g.isTextual() || g.asText().isBlank()) {
                throw bad(source, where, "globs must be non-empty strings");
            }
            out.add(Glob.of(g.asText()));
        }
        return out;
    }

    /** {@code 8s}, {@code 500ms}, {@code 10m}, {@code 1h}, or a number of seconds. */
    static Duration duration(JsonNode node, String source, String where) throws MalformedInputException {
        if (node.isIntegralNumber() && node.canConvertToInt() && node.asInt() > 0) {
            return Duration.ofSeconds(node.asInt());
        }
        Matcher m = DURATION.matcher(node.isTextual() ? node.asText().strip() : "");
        if (!m.matches()) {
            throw bad(source, where, "expected a duration such as 500ms, 8s, 10m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static boolean bool(JsonNode node, String source, String where) throws MalformedInputException {
        if (!node.isBoolean()) {
            throw bad(source, where, "expected true or false");
        }
        return node.asBoolean();
    }

    private static void object(JsonNode node, String source, String where) throws MalformedInputException {
        if (!node.isObject()) {
            throw bad(source, where.isEmpty() ? "/" : where, "expected a mapping");
        }
    }

    private static void only(JsonNode node, String source, String where, Set<String> allowed) throws MalformedInputException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw bad(source, where + "/" + field, "unknown field (expected one of " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }

    private static MalformedInputException bad(String source, String where, String problem) {
        return new MalformedInputException(FORMAT, source + " " + where, problem);
    }
}
