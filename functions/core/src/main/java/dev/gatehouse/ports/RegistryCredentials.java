package dev.gatehouse.ports;

import dev.gatehouse.oci.RegistryException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where registry credentials come from (a Docker config.json, static values, AWS ECR...). The
 * registry client asks once per registry host when a registry challenges it, and again after a
 * credential was refused.
 */
@FunctionalInterface
public interface RegistryCredentials {

    /**
     * The credential for {@code registryHost} ({@code host[:port]}, {@code docker.io} for Docker
     * Hub), or empty to go anonymous. Fails with UNAUTHORIZED or UNAVAILABLE when the source exists
     * but cannot produce one.
     */
    Optional<Credential> lookup(String registryHost) throws RegistryException;

    /** A credential for one registry. */
    sealed interface Credential permits Basic, IdentityToken, BearerToken {}

    /** Username and password (or an access key pair such as ECR's {@code AWS} + token). */
    record Basic(String username, String password) implements Credential {
        @Override
        public String toString() {
            return "Basic[" + username + ", ****]";
        }
    }

    /** An OAuth2 refresh token ({@code identitytoken} in config.json), exchanged at the token realm. */
    record IdentityToken(String token) implements Credential {
        @Override
        public String toString() {
            return "IdentityToken[****]";
        }
    }

    /** A registry access token sent as-is ({@code registrytoken} in config.json). */
    record BearerToken(String token) implements Credential {
        @Override
        public String toString() {
            return "BearerToken[****]";
        }
    }

    static RegistryCredentials anonymous() {
        return host -> Optional.empty();
    }

    /** Asks each source in turn and returns the first credential found. */
    static RegistryCredentials firstOf(RegistryCredentials... sources) {
        List<RegistryCredentials> list = Arrays.asList(sources.clone());
        return host -> {
            for (RegistryCredentials source : list) {
                Optional<Credential> found = source.lookup(host);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        };
    }
}
