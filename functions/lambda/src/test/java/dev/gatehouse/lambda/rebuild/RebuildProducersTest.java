package dev.gatehouse.lambda.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.rebuild.BuildDefinition;
import dev.gatehouse.rebuild.RebuildCatalog;
import org.junit.jupiter.api.Test;

class RebuildProducersTest {

    @Test
    void anInlineCatalogNamesCodeBuildProjects() throws Exception {
        RebuildCatalog catalog = RebuildProducers.catalog("""
                settings: {maxAttempts: 2}
                targets:
                  - repository: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api
                    tag: "1.4"
                    base: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/platform/base:2026.11
                    codebuild: {project: payments-api-rebuild}
                """);
        assertThat(catalog.target("123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api").orElseThrow().definition())
                .isEqualTo(new BuildDefinition.CodeBuildProject("payments-api-rebuild", null, null, null));
        assertThat(catalog.settings().maxAttempts()).isEqualTo(2);
    }

    @Test
    void aBrokenCatalogNamesTheVariable() {
        assertThatThrownBy(() -> RebuildProducers.catalog("targets: [{repository: x}]")).isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("GATEHOUSE_REBUILD_CATALOG").hasMessageContaining("/targets/0");
    }
}
