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
 * {@code username}/{@code password}, {@code identitytoken} or {@code registrytoken}. Credential
 * helpers ({@code credsStore}, {@code credHelpers}) run external programs and are not supported: a
 * registry configured only through one gets a clear UNAUTHORIZED error instead of silently going
 * anonymous.
 */
public final class DockerConfigCredentials implements RegistryCredentials {

    private static final int MAX_BYTES = 1024 * 1024;
    private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private final Path file;
    private final JsonNode config;

    private DockerConfigCredentials(Path file, JsonNode config) {
        this.file = file;
        this.config = config;
    }

    /** Reads {@code file}; a missing file means no credentials. */
    public static DockerConfigCredentials load(Path file) throws RegistryException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] raw = in.readNBytes(MAX_BYTES + 1);
            JsonNode config = UntrustedJson.parseObject(raw, "Docker config " + file);
            return new DockerConfigCredentials(file, config);
        } catch (NoSuchFileException e) {
            return new DockerConfigCredentials(file, UntrustedJson.mapper().createObjectNode());
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "cannot read Docker config " + file + ": " + e.getMessage(), e);
        } catch (MalformedInputException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, e.getMessage(), e);
        }
    }

    /** The file Docker itself would use: {@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}. */
    public static DockerConfigCredentials loadDefault(Map<String, String> environment) throws RegistryException {
        String dir = environment.get("DOCKER_CONFIG");
        Path base = dir != null && !dir.isEmpty() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".docker");
        return load(base.resolve("config.json"));
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
        boolean helper = config.path("credHelpers").has(registryHost)
                || (registryHost.equals(ImageReference.DOCKER_HUB) && config.path("credHelpers").has("index.docker.io"))
                || (config.hasNonNull("credsStore") && entry != null);
        if (helper) {
            throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, "credentials for " + registryHost + " in " + file
                    + " come from a credential helper, which Gatehouse does not run; put them in auths or use another source");
        }
        return Optional.empty();
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
