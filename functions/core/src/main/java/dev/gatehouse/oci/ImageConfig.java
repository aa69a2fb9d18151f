package dev.gatehouse.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an image config (OCI or Docker) says about how the image runs: the facts policies check
 * (user, entrypoint, environment, labels, ports). Lists and maps are never null.
 */
public record ImageConfig(String os, String architecture, String created, String user, List<String> entrypoint,
                          List<String> cmd, Map<String, String> env, Map<String, String> labels,
                          List<String> exposedPorts, String workingDir) {

    /** Image configs are small; anything larger is refused before parsing. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private static final String FORMAT = "image config";

    /** The config of an artifact that is not a container image (a Helm chart): nothing runs, so nothing is set. */
    public static final ImageConfig NONE = new ImageConfig(null, null, null, null, List.of(), List.of(), Map.of(), Map.of(),
            List.of(), null);

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = Map.copyOf(env);
        labels = Map.copyOf(labels);
        exposedPorts = List.copyOf(exposedPorts);
    }

    /** Reads the config blob of {@code manifest} from {@code repository}. */
    public static ImageConfig fetch(OciRepository repository, ImageManifest manifest) throws RegistryException {
        if (!MediaTypes.isImageConfig(manifest.config().mediaType())) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, repository.name() + ": manifest "
                    + manifest.digest() + " has config of media type " + manifest.config().mediaType() + ", not an image config");
        }
        byte[] bytes = repository.blob(manifest.config().digest(), MAX_BYTES);
        try {
            return parse(bytes);
        } catch (MalformedInputException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, repository.name() + ": " + e.getMessage(), e);
        }
    }

    public static ImageConfig parse(byte[] bytes) throws MalformedInputException {
        JsonNode root = UntrustedJson.parse(bytes, FORMAT, MAX_BYTES);
        if (!root.isObject()) {
            throw new MalformedInputException(FORMAT, "/", "expected a JSON object");
        }
        JsonNode c = root.path("config");
        if (!c.isMissingNode() && !c.isNull() && !c.isObject()) {
            throw new MalformedInputException(FORMAT, "/config", "expected an object");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : strings(c.path("Env"), "/config/Env")) {
            int eq = entry.indexOf('=');
            env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
        }
        return new ImageConfig(
                text(root, "os"), text(root, "architecture"), text(root, "created"),
                text(c, "User"),
                strings(c.path("Entrypoint"), "/config/Entrypoint"),
                strings(c.path("Cmd"), "/config/Cmd"),
                env,
                stringMap(c.path("Labels"), "/config/Labels"),
                keys(c.path("ExposedPorts"), "/config/ExposedPorts"),
                text(c, "WorkingDir"));
    }

    private static String text(JsonNode node, String field) throws MalformedInputException {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new MalformedInputException(FORMAT, field, "expected a string");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode node, String pointer) throws MalformedInputException {
        List<String> out = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new MalformedInputException(FORMAT, pointer, "expected an array of strings");
        }
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new MalformedInputException(FORMAT, pointer + "/" + i, "expected a string");
            }
            out.add(node.get(i).asText());
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode node, String pointer) throws MalformedInputException {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new MalformedInputException(FORMAT, pointer, "expected an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new MalformedInputException(FORMAT, pointer + "/" + e.getKey(), "expected a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static List<String> keys(JsonNode node, String pointer) throws MalformedInputException {
        List<String> out = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new MalformedInputException(FORMAT, pointer, "expected an object");
        }
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
