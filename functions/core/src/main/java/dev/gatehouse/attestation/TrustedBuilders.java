package dev.gatehouse.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
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

    public static TrustedBuilders parse(byte[] json) throws MalformedInputException {
        JsonNode root = UntrustedJson.parseObject(json, FORMAT);
        JsonNode list = root.get("builders");
        if (list == null || !list.isArray()) {
            throw new MalformedInputException(FORMAT, "/builders", "missing or not an array");
        }
        Map<String, Builder> byId = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode b = list.get(i);
            String at = "/builders/" + i;
            String id = b.path("id").asText("");
            if (id.isEmpty() || id.contains("@")) {
                throw new MalformedInputException(FORMAT, at + "/id", "missing, or carries a version");
            }
            int level = b.path("slsaLevel").asInt(-1);
            if (level < 0 || level > 3) {
                throw new MalformedInputException(FORMAT, at + "/slsaLevel", "expected 0 to 3");
            }
            Set<Context> contexts = new java.util.HashSet<>();
            for (JsonNode c : b.path("trustedByDefault")) {
                try {
                    contexts.add(Context.valueOf(c.asText("").toUpperCase()));
                } catch (IllegalArgumentException e) {
                    throw new MalformedInputException(FORMAT, at + "/trustedByDefault", "unknown context '" + c.asText() + "'");
                }
            }
            Map<String, Style> types = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = b.path("buildTypes").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                try {
                    types.put(e.getKey(), Style.valueOf(e.getValue().asText("").toUpperCase().replace('-', '_')));
                } catch (IllegalArgumentException ex) {
                    throw new MalformedInputException(FORMAT, at + "/buildTypes", "unknown style '" + e.getValue().asText() + "'");
                }
            }
            byId.put(id, new Builder(id, b.path("platform").asText(""), b.path("role").asText(""), level,
                    Set.copyOf(contexts), Map.copyOf(types)));
        }
        List<String> testing = new ArrayList<>();
        root.path("testingRepositories").forEach(r -> testing.add(r.asText()));
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
