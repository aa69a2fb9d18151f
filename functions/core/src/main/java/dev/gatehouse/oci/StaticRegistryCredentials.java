package dev.gatehouse.oci;

import dev.gatehouse.ports.RegistryCredentials;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Fixed credentials per registry host (from command-line flags, environment, or tests). */
public final class StaticRegistryCredentials implements RegistryCredentials {

    private final Map<String, Credential> byHost;

    private StaticRegistryCredentials(Map<String, Credential> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    public static StaticRegistryCredentials of(Map<String, Credential> byHost) {
        return new StaticRegistryCredentials(byHost);
    }

    public static StaticRegistryCredentials basic(String host, String username, String password) {
        return new StaticRegistryCredentials(Map.of(host, new Basic(username, password)));
    }

    public StaticRegistryCredentials with(String host, Credential credential) {
        Map<String, Credential> all = new HashMap<>(byHost);
        all.put(host, credential);
        return new StaticRegistryCredentials(all);
    }

    @Override
    public Optional<Credential> lookup(String registryHost) {
        return Optional.ofNullable(byHost.get(registryHost));
    }
}
