package dev.gatehouse.oci;

import dev.gatehouse.ports.RegistryCredentials;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens the {@link OciRepository} an {@link ImageReference} names: an OCI layout directory or a
 * registry repository. Keeps one {@link RegistryClient} per registry host so tokens and connections
 * are reused.
 */
public final class OciRepositories {

    private final RegistryCredentials credentials;
    private final RegistryClient.Options options;
    private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

    public OciRepositories(RegistryCredentials credentials, RegistryClient.Options options) {
        this.credentials = credentials;
        this.options = options;
    }

    public static OciRepositories anonymous() {
        return new OciRepositories(RegistryCredentials.anonymous(), RegistryClient.Options.defaults());
    }

    public OciRepository open(ImageReference reference) throws RegistryException {
        if (reference.isLayout()) {
            return OciLayout.open(reference.layout());
        }
        return client(reference.registry()).repository(reference.repository());
    }

    /** Opens the repository and resolves the reference to its checked manifest or index. */
    public ResolvedImage resolve(ImageReference reference) throws RegistryException {
        return ResolvedImage.resolve(reference, open(reference));
    }

    public RegistryClient client(String registryHost) {
        return clients.computeIfAbsent(registryHost, h -> RegistryClient.create(h, credentials, options));
    }
}
