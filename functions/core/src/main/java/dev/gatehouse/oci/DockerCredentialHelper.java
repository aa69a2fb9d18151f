package dev.gatehouse.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.RegistryCredentials.Basic;
import dev.gatehouse.ports.RegistryCredentials.Credential;
import dev.gatehouse.ports.RegistryCredentials.IdentityToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A Docker credential helper ({@code docker-credential-NAME get}, the protocol of
 * docker/docker-credential-helpers): the server URL on stdin, {@code {"Username", "Secret"}} on
 * stdout. Used for {@code credHelpers} and {@code credsStore} in config.json, which is how ECR
 * ({@code ecr-login}), GCR/Artifact Registry ({@code gcloud}) and ACR hand out short-lived tokens.
 * The helper is looked up on {@code PATH} only, by a name that cannot be a path; it gets a bounded
 * time and output.
 */
final class DockerCredentialHelper {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_OUTPUT = 64 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** What helpers print when they have nothing for a server (docker-credential-helpers' ErrCredentialsNotFound). */
    private static final String NOT_FOUND = "credentials not found in native keychain";
    private static final String IDENTITY_TOKEN_USER = "<token>";

    private DockerCredentialHelper() {}

    static Optional<Credential> get(String name, String serverUrl, Map<String, String> environment) throws RegistryException {
        if (!NAME.matcher(name).matches()) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, "credential helper name '" + name + "' is not a plain name");
        }
        Path program = find("docker-credential-" + name, environment.getOrDefault("PATH", ""))
                .orElseThrow(() -> new RegistryException(RegistryException.Kind.UNAUTHORIZED, "credential helper docker-credential-"
                        + name + " for " + serverUrl + " is not on PATH"));
        Process process;
        try {
            process = new ProcessBuilder(program.toString(), "get").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "cannot run " + program + ": " + e.getMessage(), e);
        }
        try (OutputStream in = process.getOutputStream(); InputStream out = process.getInputStream()) {
            in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            in.close();
            byte[] output = out.readNBytes(MAX_OUTPUT + 1);
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new RegistryException(RegistryException.Kind.UNAVAILABLE, program + " did not answer within " + TIMEOUT.toSeconds() + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                if (text.contains(NOT_FOUND)) {
                    return Optional.empty();
                }
                throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, program.getFileName() + " get " + serverUrl
                        + " failed (exit " + process.exitValue() + "): " + firstLine(text));
            }
            if (output.length > MAX_OUTPUT) {
                throw new RegistryException(RegistryException.Kind.MALFORMED, program.getFileName() + " printed more than " + MAX_OUTPUT + " bytes");
            }
            JsonNode answer = UntrustedJson.parseObject(output, "credential helper " + program.getFileName() + " output");
            String user = answer.path("Username").asText("");
            String secret = answer.path("Secret").asText("");
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(IDENTITY_TOKEN_USER.equals(user) ? new IdentityToken(secret) : new Basic(user, secret));
        } catch (MalformedInputException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, e.getMessage(), e);
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "talking to " + program + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "interrupted while waiting for " + program, e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static Optional<Path> find(String program, String path) {
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
