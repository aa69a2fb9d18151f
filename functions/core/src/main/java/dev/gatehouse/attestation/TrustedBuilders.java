package dev.gatehouse.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.InputFiles;
import dev.gatehouse.io.JsonCursor;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The builders whose provenance can be verified, kept as data ({@code trusted-builders.json}):
 * each builder id with its platform, role, SLSA Build level, the build types it produces (and
 * which parser reads them), and the contexts in which it is trusted without {@code --builder-id}.
 */
public final class TrustedBuilders {

    public static final String FORMAT = "trusted builders list";
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    /** Where a builder is trusted by default: provenance of artifacts, of container images. */
    public enum Context { ARTIFACT, IMAGE }

    /** How a build type's provenance is read. */
    public enum Style { GENERATOR, DELEGATOR, CONTAINER_BASED, GITHUB_WORKFLOW, GCB }

    public record Builder(String id, String platform, String role, int slsaLevel, Set<Context> trustedByDefault,
                          Map<String, Style> buildTypes) {
        public boolean isDelegator() {
            return "delegator".equals(role);
        }
    }

    private static volatile TrustedBuilders defaults;

    private final Map<String, Builder> byId;
    private final Set<String> testingRepositories;

    private TrustedBuilders(Map<String, Builder> byId, Set<String> testingRepositories) {
        this.byId = byId;
        this.testingRepositories = testingRepositories;
    }

    /** The list shipped with Gatehouse, read once. */
    public static TrustedBuilders defaults() {
        TrustedBuilders d = defaults;
        if (d == null) {
            try (InputStream in = TrustedBuilders.class.getResourceAsStream("trusted-builders.json")) {
                d = parse(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (MalformedInputException e) {
                throw new IllegalStateException("the shipped " + e.getMessage(), e);
            }
            defaults = d;
        }
        return d;
    }

    /** Reads a trusted-builders file named by the user; errors name the file. */
    public static TrustedBuilders read(Path file) throws MalformedInputException {
        return parse(InputFiles.read(file, FORMAT, MAX_BYTES), FORMAT + " " + file);
    }

    public static TrustedBuilders parse(byte[] json) throws MalformedInputException {
        return parse(json, FORMAT);
    }

    // Every field is type-checked: a builder id or level of the wrong type must be an error, not a
    // builder that silently matches nothing (or a level read as 0).
    private static TrustedBuilders parse(byte[] json, String format) throws MalformedInputException {
        JsonCursor root = JsonCursor.root(UntrustedJson.parseObject(json, format), format);
        JsonCursor list = root.field("builders");
        if (!list.node().isArray()) {
            throw list.error("missing or not an array");
        }
        Map<String, Builder> byId = new LinkedHashMap<>();
        for (JsonCursor b : list.array()) {
            b.requireObject();
            String id = b.field("id").text();
            if (id.contains("@")) {
                throw b.field("id").error("carries a version");
            }
            JsonCursor levelField = b.field("slsaLevel");
            JsonNode levelNode = levelField.node();
            if (!levelNode.isIntegralNumber() || !levelNode.canConvertToInt() || levelNode.intValue() < 0 || levelNode.intValue() > 3) {
                throw levelField.error("expected 0 to 3");
            }
            int level = levelNode.intValue();
            Set<Context> contexts = new java.util.HashSet<>();
            for (JsonCursor c : b.field("trustedByDefault").array()) {
                try {
                    contexts.add(Context.valueOf(c.text().toUpperCase()));
                } catch (IllegalArgumentException e) {
                    throw c.error("unknown context '" + c.node().asText() + "'");
                }
            }
            Map<String, Style> types = new LinkedHashMap<>();
            for (Map.Entry<String, JsonCursor> e : b.field("buildTypes").members()) {
                try {
                    types.put(e.getKey(), Style.valueOf(e.getValue().text().toUpperCase().replace('-', '_')));
                } catch (IllegalArgumentException ex) {
                    throw e.getValue().error("unknown style '" + e.getValue().node().asText() + "'");
                }
            }
            String platform = b.field("platform").optText();
            String role = b.field("role").optText();
            byId.put(id, new Builder(id, platform == null ? "" : platform, role == null ? "" : role, level,
                    Set.copyOf(contexts), Map.copyOf(types)));
        }
        List<String> testing = root.field("testingRepositories").texts();
        return new TrustedBuilders(Map.copyOf(byId), Set.copyOf(testing));
    }

    public Optional<Builder> find(String name) {
        return Optional.ofNullable(byId.get(name));
    }

    public boolean trustedByDefault(String name, Context context) {
        Builder b = byId.get(name);
        return b != null && b.trustedByDefault().contains(context);
    }

    /** The parser for {@code buildType} from builder {@code name}; empty when the pair is not known. */
    public Optional<Style> style(String name, String buildType) {
        Builder b = byId.get(name);
        if (b == null) {
            return Optional.empty();
        }
        Style exact = b.buildTypes().get(buildType);
        if (exact != null) {
            return Optional.of(exact);
        }
        return b.buildTypes().entrySet().stream()
                .filter(e -> e.getKey().endsWith("@") && buildType.startsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst();
    }

    /** Repositories whose builders may be referenced at a branch when testing is explicitly allowed. */
    public boolean isTestingRepository(String ownerAndName) {
        return testingRepositories.contains(ownerAndName);
    }
}
