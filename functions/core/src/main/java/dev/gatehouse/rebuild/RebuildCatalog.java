package dev.gatehouse.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.InputFiles;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedYaml;
import dev.gatehouse.oci.ImageReference;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The images Gatehouse rebuilds and how, as data (YAML or JSON, docs/rebuilds.md): one entry per
 * target repository with its tag, its base tag and one build definition (a Containerfile, a
 * customisation or a CodeBuild project), plus the rebuild limits. Relative paths are resolved
 * against the catalog's directory.
 */
public final class RebuildCatalog {

    public static final String FORMAT = "rebuild catalog";
    static final int MAX_BYTES = 1 << 20;
    static final int MAX_TARGETS = 5000;

    private final Map<String, RebuildTarget> targets;
    private final RebuildSettings settings;

    public RebuildCatalog(List<RebuildTarget> targets, RebuildSettings settings) {
        Map<String, RebuildTarget> byRepository = new LinkedHashMap<>();
        for (RebuildTarget t : targets) {
            if (byRepository.putIfAbsent(t.repository(), t) != null) {
                throw new IllegalArgumentException("rebuild catalog names repository " + t.repository() + " twice");
            }
        }
        this.targets = Map.copyOf(byRepository);
        this.settings = settings;
    }

    public Optional<RebuildTarget> target(String repository) {
        return Optional.ofNullable(targets.get(repository));
    }

    public List<RebuildTarget> targets() {
        return targets.values().stream().sorted((a, b) -> a.repository().compareTo(b.repository())).toList();
    }

    public RebuildSettings settings() {
        return settings;
    }

    public static RebuildCatalog read(Path file) throws MalformedInputException {
        return parse(InputFiles.read(file, FORMAT, MAX_BYTES), file.toAbsolutePath().getParent(), file.toString());
    }

    public static RebuildCatalog parse(byte[] content, Path baseDir, String source) throws MalformedInputException {
        // Bounded like every YAML from outside: a duplicate key must not silently replace 'targets' or 'settings'.
        JsonNode root = UntrustedYaml.parse(content, FORMAT + " " + source, MAX_BYTES);
        if (!root.isObject()) {
            throw bad(source, "/", "expected a mapping with 'targets'");
        }
        only(root, source, "", Set.of("settings", "targets"));
        RebuildSettings settings = settings(root.path("settings"), source);
        JsonNode list = root.path("targets");
        if (!list.isArray()) {
            throw bad(source, "/targets", "expected a list");
        }
        if (list.size() > MAX_TARGETS) {
            throw bad(source, "/targets", "more than " + MAX_TARGETS + " targets");
        }
        List<RebuildTarget> targets = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "/targets/" + i;
            try {
                targets.add(target(list.get(i), baseDir, source, where));
            } catch (IllegalArgumentException e) {
                throw bad(source, where, e.getMessage());
            }
        }
        try {
            return new RebuildCatalog(targets, settings);
        } catch (IllegalArgumentException e) {
            throw bad(source, "/targets", e.getMessage());
        }
    }

    private static RebuildSettings settings(JsonNode node, String source) throws MalformedInputException {
        if (node.isMissingNode() || node.isNull()) {
            return RebuildSettings.DEFAULTS;
        }
        if (!node.isObject()) {
            throw bad(source, "/settings", "expected a mapping");
        }
        only(node, source, "/settings", Set.of("maxAttempts", "rateLimit", "maxPlanSize", "buildTimeout"));
        RebuildSettings d = RebuildSettings.DEFAULTS;
        JsonNode rate = node.path("rateLimit");
        if (!rate.isMissingNode()) {
            only(rate, source, "/settings/rateLimit", Set.of("builds", "window"));
        }
        try {
            return new RebuildSettings(
                    integer(node, "maxAttempts", d.maxAttempts(), source, "/settings"),
                    integer(rate, "builds", d.buildsPerRepository(), source, "/settings/rateLimit"),
                    duration(rate, "window", d.rateWindow(), source, "/settings/rateLimit"),
                    integer(node, "maxPlanSize", d.maxPlanSize(), source, "/settings"),
                    duration(node, "buildTimeout", d.buildTimeout(), source, "/settings"));
        } catch (IllegalArgumentException e) {
            throw bad(source, "/settings", e.getMessage());
        }
    }

    private static RebuildTarget target(JsonNode node, Path baseDir, String source, String where) throws MalformedInputException {
        if (!node.isObject()) {
            throw bad(source, where, "expected a mapping");
        }
        only(node, source, where, Set.of("repository", "tag", "base", "source", "containerfile", "context", "customisation", "codebuild"));
        String repository = text(node, "repository", source, where);
        String tag = text(node, "tag", source, where);
        ImageReference base = ImageReference.parse(text(node, "base", source, where));
        int kinds = (node.has("containerfile") ? 1 : 0) + (node.has("customisation") ? 1 : 0) + (node.has("codebuild") ? 1 : 0);
        boolean customisedOnCodeBuild = kinds == 2 && node.has("customisation") && node.has("codebuild");
        if (kinds != 1 && !customisedOnCodeBuild) {
            throw bad(source, where, "expected exactly one of 'containerfile', 'customisation', 'codebuild' (or a customisation with a codebuild project)");
        }
        BuildDefinition definition;
        if (node.has("containerfile")) {
            Path containerfile = baseDir.resolve(text(node, "containerfile", source, where)).normalize();
            Path context = node.has("context") ? baseDir.resolve(text(node, "context", source, where)).normalize()
                    : containerfile.getParent();
            definition = new BuildDefinition.Containerfile(containerfile, context);
        } else if (node.has("customisation")) {
            String project = null;
            if (customisedOnCodeBuild) {
                // The source and buildspec of a customisation are generated: only the project is named.
                only(node.path("codebuild"), source, where + "/codebuild", Set.of("project"));
                project = text(node.path("codebuild"), "project", source, where + "/codebuild");
            }
            definition = new BuildDefinition.Customised(customisation(node.path("customisation"), baseDir, source, where + "/customisation"),
                    project);
        } else {
            JsonNode cb = node.path("codebuild");
            only(cb, source, where + "/codebuild", Set.of("project", "sourceLocation", "sourceVersion", "buildspec"));
            definition = new BuildDefinition.CodeBuildProject(text(cb, "project", source, where + "/codebuild"),
                    optional(cb, "sourceLocation"), optional(cb, "sourceVersion"), optional(cb, "buildspec"));
        }
        return new RebuildTarget(repository, tag, base, definition, optional(node, "source"));
    }

    private static Customisation customisation(JsonNode node, Path baseDir, String source, String where) throws MalformedInputException {
        if (!node.isObject()) {
            throw bad(source, where, "expected a mapping");
        }
        only(node, source, where, Set.of("packageManager", "packages", "caCertificates", "users", "environment", "labels", "runAs"));
        List<Customisation.CaCertificate> certificates = new ArrayList<>();
        for (String entry : strings(node.path("caCertificates"), source, where + "/caCertificates")) {
            // PEM text inline, or a file relative to the catalog.
            certificates.add(entry.strip().startsWith("-----BEGIN ") ? new Customisation.CaCertificate.Inline(entry)
                    : new Customisation.CaCertificate.File(baseDir.resolve(entry).normalize()));
        }
        List<Customisation.User> users = new ArrayList<>();
        JsonNode list = node.path("users");
        for (int i = 0; i < list.size(); i++) {
            JsonNode u = list.get(i);
            String at = where + "/users/" + i;
            only(u, source, at, Set.of("name", "uid", "gid", "home"));
            if (!u.path("uid").canConvertToLong() || !u.path("gid").canConvertToLong()) {
                throw bad(source, at, "uid and gid must be integers");
            }
            users.add(new Customisation.User(text(u, "name", source, at), u.path("uid").asLong(), u.path("gid").asLong(), optional(u, "home")));
        }
        return new Customisation(optional(node, "packageManager"), strings(node.path("packages"), source, where + "/packages"),
                certificates, users, stringMap(node.path("environment"), source, where + "/environment"),
                stringMap(node.path("labels"), source, where + "/labels"), optional(node, "runAs"));
    }

    private static List<String> strings(JsonNode node, String source, String where) throws MalformedInputException {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw bad(source, where, "expected a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw bad(source, where, "expected a list of strings");
            }
            out.add(n.asText());
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode node, String source, String where) throws MalformedInputException {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw bad(source, where, "expected a mapping of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw bad(source, where + "/" + e.getKey(), "expected a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static String text(JsonNode node, String field, String source, String where) throws MalformedInputException {
        JsonNode value = node.path(field);
        if (!value.isTextual() && !value.isNumber() || value.asText().isBlank()) {
            throw bad(source, where + "/" + field, "expected a non-empty string");
        }
        return value.asText();
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static int integer(JsonNode node, String field, int fallback, String source, String where) throws MalformedInputException {
        JsonNode value = node.path(field);
        if (value.isMissingNode()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw bad(source, where + "/" + field, "expected an integer");
        }
        return value.asInt();
    }

    private static Duration duration(JsonNode node, String field, Duration fallback, String source, String where)
            throws MalformedInputException {
        JsonNode value = node.path(field);
        if (value.isMissingNode()) {
            return fallback;
        }
        try {
            return Duration.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw bad(source, where + "/" + field, "expected an ISO-8601 duration such as PT1H, got '" + value.asText() + "'");
        }
    }

    private static void only(JsonNode node, String source, String where, Set<String> allowed) throws MalformedInputException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw bad(source, where + "/" + name, "unknown field (expected one of " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static MalformedInputException bad(String source, String where, String problem) {
        return new MalformedInputException(FORMAT, source + " " + where, problem);
    }
}
