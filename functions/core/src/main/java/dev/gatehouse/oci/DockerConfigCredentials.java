package dev.gatehouse.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.RegistryCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials from a Docker {@code config.json} ({@code $DOCKER_CONFIG/config.json} or
 * {@code ~/.docker/config.json}): {@code auths} entries with {@code auth} (base64 user:password),
 * {@code username}/{@code password}, {@code identitytoken} or {@code registrytoken}; then, as
 * Docker does, the registry's {@code credHelpers} entry or else {@code credsStore}, run as a
 * {@link DockerCredentialHelper} found on {@code PATH}. A helper that fails is an UNAUTHORIZED
 * error naming it, never a silent fall back to anonymous.
 */
public final class DockerConfigCredentials implements RegistryCredentials {

    private static final int MAX_BYTES = 1024 * 1024;
    private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private final Path file;
    private final JsonNode config;
    private final Map<String, String> environment;

    private DockerConfigCredentials(Path file, JsonNode config, Map<String, String> environment) {
        this.file = file;
        this.config = config;
        this.environment = Map.copyOf(environment);
    }

    /** Reads {@code file}; a missing file means no credentials. Helpers are looked up on this process's PATH. */
    public static DockerConfigCredentials load(Path file) throws RegistryException {
        return load(file, System.getenv());
    }

    private static DockerConfigCredentials load(Path file, Map<String, String> environment) throws RegistryException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] raw = in.readNBytes(MAX_BYTES + 1);
            JsonNode config = UntrustedJson.parseObject(raw, "Docker config " + file);
            return new DockerConfigCredentials(file, config, environment);
        } catch (NoSuchFileException e) {
            return new DockerConfigCredentials(file, UntrustedJson.mapper().createObjectNode(), environment);
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "cannot read Docker config " + file + ": " + e.getMessage(), e);
        } catch (MalformedInputException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, e.getMessage(), e);
        }
    }

    /**
     * The file Docker itself would use: {@code $DOCKER_CONFIG/config.json} or
     * {@code ~/.docker/config.json}; credential helpers are looked up on {@code environment}'s PATH.
     */
    public static DockerConfigCredentials loadDefault(Map<String, String> environment) throws RegistryException {
        String dir = environment.get("DOCKER_CONFIG");
        Path base = dir != null && !dir.isEmpty() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".docker");
        return load(base.resolve("config.json"), environment);
    }

    @Override
    public Optional<Credential> lookup(String registryHost) throws RegistryException {
        JsonNode auths = config.path("auths");
        JsonNode entry = null;
        if (auths.isObject()) {
            for (Map.Entry<String, JsonNode> e : auths.properties()) {
                if (entry == null && normalise(e.getKey()).equals(registryHost)) {
                    entry = e.getValue();
                }
            }
        }
        if (entry != null) {
            Optional<Credential> found = fromEntry(entry, registryHost);
            if (found.isPresent()) {
                return found;
            }
        }
        String helper = helperFor(registryHost);
        if (helper == null) {
            return Optional.empty();
        }
        String serverUrl = registryHost.equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_KEY : registryHost;
        return DockerCredentialHelper.get(helper, serverUrl, environment);
    }

    private String helperFor(String registryHost) {
        JsonNode helpers = config.path("credHelpers");
        for (Map.Entry<String, JsonNode> e : helpers.properties()) {
            if (normalise(e.getKey()).equals(registryHost) && e.getValue().isTextual() && !e.getValue().asText().isEmpty()) {
                return e.getValue().asText();
            }
        }
        JsonNode store = config.get("credsStore");
        return store != null && store.isTextual() && !store.asText().isEmpty() ? store.asText() : null;
    }

    private Optional<Credential> fromEntry(JsonNode entry, String host) throws RegistryException {
        String where = file + " at /auths/" + host;
        if (!entry.isObject()) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, "Docker config " + where + ": expected an object");
        }
        if (entry.hasNonNull("identitytoken") && !entry.get("identitytoken").asText().isEmpty()) {
            return Optional.of(new IdentityToken(entry.get("identitytoken").asText()));
        }
        if (entry.hasNonNull("registrytoken") && !entry.get("registrytoken").asText().isEmpty()) {
            return Optional.of(new BearerToken(entry.get("registrytoken").asText()));
        }
        if (entry.hasNonNull("auth") && !entry.get("auth").asText().isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(entry.get("auth").asText().trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new RegistryException(RegistryException.Kind.MALFORMED, "Docker config " + where + "/auth: not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new RegistryException(RegistryException.Kind.MALFORMED, "Docker config " + where + "/auth: expected base64 of user:password");
            }
            return Optional.of(new Basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        if (entry.hasNonNull("username") && entry.hasNonNull("password")) {
            return Optional.of(new Basic(entry.get("username").asText(), entry.get("password").asText()));
        }
        return Optional.empty();
    }

    /** The registry host a config.json key names: keys may be URLs, and Docker Hub has several spellings. */
    static String normalise(String key) {
        String k = key;
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        if (slash >= 0) {
            k = k.substring(0, slash);
        }
        if (key.equals(DOCKER_HUB_KEY) || k.equals("index.docker.io") || k.equals("registry-1.docker.io")) {
            return ImageReference.DOCKER_HUB;
        }
        return k;
    }
}
