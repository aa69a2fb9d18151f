package dev.gatehouse.cli;

import dev.gatehouse.aws.EcrRegistryCredentials;
import dev.gatehouse.oci.DockerConfigCredentials;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.RegistryClient;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.oci.TrustedCertificates;
import dev.gatehouse.ports.RegistryCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How commands reach registries: credentials from a Docker config.json (and ECR's
 * GetAuthorizationToken for ECR hosts), timeouts, and the hosts that may be spoken to without TLS.
 * Use as {@code @Mixin RegistryOptions registry;}.
 */
public final class RegistryOptions {

    @Option(names = "--docker-config", paramLabel = "FILE",
            description = "Docker config.json with registry credentials (default: $DOCKER_CONFIG/config.json or ~/.docker/config.json).")
    Path dockerConfig;

    @Option(names = "--plain-http-unsafe", paramLabel = "HOST[:PORT]",
            description = "Talk plain HTTP, without TLS, to this registry (local test registries only; repeatable).")
    List<String> plainHttpUnsafe = new ArrayList<>();

    @Option(names = "--registry-ca", paramLabel = "PEM",
            description = "Trust only the CA certificates in this PEM bundle for registry TLS (private registries).")
    Path registryCa;

    @Option(names = "--registry-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Read timeout for registry requests (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    private OciRepositories repositories;

    /** The repositories opener for these options; built once per command. */
    public OciRepositories repositories() throws RegistryException {
        if (repositories == null) {
            DockerConfigCredentials config = dockerConfig != null ? DockerConfigCredentials.load(dockerConfig)
                    : DockerConfigCredentials.loadDefault(System.getenv());
            RegistryCredentials ecr = new LazyEcr();
            RegistryClient.Options options = RegistryClient.Options.defaults()
                    .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(timeoutSeconds))
                    .withPlainHttpUnsafe(plainHttpUnsafe.toArray(String[]::new));
            if (registryCa != null) {
                options = options.withSslContext(TrustedCertificates.sslContext(registryCa));
            }
            repositories = new OciRepositories(RegistryCredentials.firstOf(config, ecr), options);
        }
        return repositories;
    }

    /** Builds the AWS clients only when an ECR host is actually asked for. */
    private static final class LazyEcr implements RegistryCredentials {
        private EcrRegistryCredentials delegate;

        @Override
        public synchronized Optional<Credential> lookup(String registryHost) throws RegistryException {
            if (!EcrRegistryCredentials.isEcrHost(registryHost)) {
                return Optional.empty();
            }
            if (delegate == null) {
                delegate = EcrRegistryCredentials.withDefaultClients();
            }
            return delegate.lookup(registryHost);
        }
    }
}
