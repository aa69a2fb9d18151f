package dev.gatehouse.lambda.admission;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the admission function is built from ({@code gatehouse.admission.*}, or the matching
 * {@code GATEHOUSE_ADMISSION_*} environment variables). Without a trust configuration nothing is
 * trusted, so every image is denied: fail closed.
 */
@ConfigMapping(prefix = "gatehouse.admission")
public interface AdmissionSettings {

    /**
     * The admission configuration document itself, YAML or JSON ({@code GATEHOUSE_ADMISSION_CONFIG},
     * as the deployment templates pass it; docs/kubernetes-webhooks.md). Absent, and no
     * {@link #configFile()}: the strict defaults.
     */
    Optional<String> config();

    /** The admission configuration as a file; wins over {@link #config()}. */
    Optional<Path> configFile();

    /** Trusted keys and identities per image glob (docs/trust-config.md). */
    Optional<Path> trustConfig();

    /** SLSA trusted-builders list replacing the built-in one. */
    Optional<Path> trustedBuilders();

    /** An OPA bundle directory or .tar.gz; absent: the embedded hardened policy. */
    Optional<Path> policy();

    /** Registries spoken to over plain HTTP: local test registries only. */
    Optional<List<String>> plainHttpUnsafe();
}
