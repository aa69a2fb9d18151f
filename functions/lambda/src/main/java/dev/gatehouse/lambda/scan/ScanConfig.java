package dev.gatehouse.lambda.scan;

import dev.gatehouse.handlers.scan.ScanPlanner;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * Compliance-scan settings ({@code GATEHOUSE_SCAN_*}). The registry is an ECR host
 * ({@code <account>.dkr.ecr.<region>.amazonaws.com}, listed with DescribeRepositories and
 * DescribeImages) or any other registry host (listed through {@code /v2/_catalog}).
 */
@ConfigMapping(prefix = "gatehouse.scan")
public interface ScanConfig {

    /** GATEHOUSE_SCAN_REGISTRY: the registry host to scan. */
    Optional<String> registry();

    /** GATEHOUSE_SCAN_REPOSITORIES: only these repositories (comma-separated); every repository when unset. */
    Optional<List<String>> repositories();

    @WithDefault("" + ScanPlanner.DEFAULT_IMAGES_PER_BATCH)
    int imagesPerBatch();

    @WithDefault("" + ScanPlanner.DEFAULT_MAX_IMAGES)
    int maxImages();

    /**
     * Images a worker verifies at once. The shared pipeline waits on evidence lookups it queues on
     * a fixed pool, so this stays well below that pool's size.
     */
    @WithDefault("2")
    int workerParallelism();
}
