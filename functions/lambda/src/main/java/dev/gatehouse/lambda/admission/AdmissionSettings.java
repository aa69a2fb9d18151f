package dev.gatehouse.lambda.admission;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The admission function's own settings ({@code gatehouse.admission.*}, or the matching
 * {@code GATEHOUSE_ADMISSION_*} environment variables); the pipeline, trust configuration,
 * registries and verdict cache are the ones every function shares (GatehouseConfig).
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

    /**
     * Secrets Manager secret the API server must present on the function URL
     * ({@code GATEHOUSE_ADMISSION_SECRET_ARN}): as {@code Authorization: Bearer}, or as the URL's last
     * path segment. Unset, every request through the URL is refused.
     */
    Optional<String> secretArn();
}
