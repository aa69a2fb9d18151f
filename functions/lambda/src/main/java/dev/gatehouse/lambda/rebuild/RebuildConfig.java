package dev.gatehouse.lambda.rebuild;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Rebuilds on the push path ({@code gatehouse.rebuild.*}, environment {@code GATEHOUSE_REBUILD_*}). */
@ConfigMapping(prefix = "gatehouse.rebuild")
public interface RebuildConfig {

    /**
     * The rebuild catalog, YAML or JSON inline ({@code GATEHOUSE_REBUILD_CATALOG}, docs/rebuilds.md),
     * with CodeBuild project definitions. Absent: pushes are still recorded in the image graph, and
     * nothing is rebuilt.
     */
    Optional<String> catalog();

    /** CodeBuild endpoint override ({@code GATEHOUSE_REBUILD_CODEBUILD_ENDPOINT}), for tests. */
    Optional<String> codebuildEndpoint();
}
