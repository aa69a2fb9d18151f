package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.local.JsonLinesImageGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RebuildPlanCommandTest {

    static final String R = "registry.test:5000";

    @TempDir
    Path dir;

    Path catalog;
    Path graphFile;

    static Digest d(String seed) {
        return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("Containerfile"), "FROM scratch\n");
        catalog = dir.resolve("catalog.yaml");
        Files.writeString(catalog, """
                targets:
                  - repository: %1$s/custom
                    tag: "1"
                    base: %1$s/base:latest
                    customisation:
                      environment: {TZ: UTC}
                  - repository: %1$s/app
                    tag: "2"
                    base: %1$s/custom:1
                    containerfile: Containerfile
                """.formatted(R));
        graphFile = dir.resolve("graph.jsonl");
        JsonLinesImageGraph graph = JsonLinesImageGraph.open(graphFile);
        graph.record(new ImageGraph.Edge(new ImageGraph.ImageRef(R + "/custom", d("custom-1")),
                new ImageGraph.BaseRef(R + "/base", "latest", d("base-1")), Instant.parse("2026-11-26T10:00:00Z")));
        graph.record(new ImageGraph.Edge(new ImageGraph.ImageRef(R + "/app", d("app-1")),
                new ImageGraph.BaseRef(R + "/custom", "1", d("custom-1")), Instant.parse("2026-11-26T10:01:00Z")));
    }

    @Test
    void planPrintsDependentsInOrderWithReasons() {
        CliRun run = CliRun.of("rebuild", "plan", R + "/base:latest@" + d("base-2"), "--catalog", catalog.toString(), "--graph", graphFile.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("1. " + R + "/custom:1 on " + R + "/base@" + d("base-2"))
                .contains("2. " + R + "/app:2 on " + R + "/custom from step 1")
                .contains("why: built on " + R + "/base:latest@" + d("base-1"));
    }

    @Test
    void planAsJsonListsStepsAndTrigger() throws Exception {
        CliRun run = CliRun.of("rebuild", "plan", R + "/base:latest@" + d("base-2"), "--catalog", catalog.toString(), "--graph", graphFile.toString(),
                "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        var json = UntrustedJson.parse(run.out(), "plan");
        assertThat(json.at("/trigger/digest").asText()).isEqualTo(d("base-2").toString());
        assertThat(json.at("/steps/1/repository").asText()).isEqualTo(R + "/app");
        assertThat(json.at("/steps/1/base_step").asInt()).isEqualTo(1);
    }

    @Test
    void aBrokenCatalogIsOneLineNamingThePlace() throws Exception {
        Files.writeString(catalog, "targets:\n  - repository: " + R + "/x\n    tag: '1'\n    base: " + R + "/b:1\n");
        CliRun run = CliRun.of("rebuild", "plan", R + "/base:latest@" + d("base-2"), "--catalog", catalog.toString(), "--graph", graphFile.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("rebuild catalog").contains("/targets/0").contains("exactly one of");
    }

    @Test
    void aCatalogWithADuplicateKeyIsRefusedNotReadAsItsLastValue() throws Exception {
        Files.writeString(catalog, "targets: []\ntargets: []\n");
        CliRun run = CliRun.of("rebuild", "plan", R + "/base:latest@" + d("base-2"), "--catalog", catalog.toString(), "--graph", graphFile.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("rebuild catalog").contains(catalog.toString()).contains("line 2")
                .contains("Duplicate field 'targets'");
    }

    @Test
    void aBaseWithoutTagIsRefused() {
        CliRun run = CliRun.of("rebuild", "plan", R + "/base@" + d("base-2"), "--catalog", catalog.toString(), "--graph", graphFile.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("BASE_REF must name a registry tag");
    }

    @Test
    void aCycleThroughTheBaseIsReportedWithExitOne() throws Exception {
        Files.writeString(catalog, """
                targets:
                  - {repository: %1$s/a, tag: "1", base: "%1$s/base:latest", containerfile: Containerfile}
                  - {repository: %1$s/base, tag: latest, base: "%1$s/a:1", containerfile: Containerfile}
                """.formatted(R));
        JsonLinesImageGraph graph = JsonLinesImageGraph.open(graphFile);
        graph.record(new ImageGraph.Edge(new ImageGraph.ImageRef(R + "/a", d("a-1")),
                new ImageGraph.BaseRef(R + "/base", "latest", d("base-1")), Instant.parse("2026-11-26T10:02:00Z")));
        graph.record(new ImageGraph.Edge(new ImageGraph.ImageRef(R + "/base", d("base-1")),
                new ImageGraph.BaseRef(R + "/a", "1", d("a-1")), Instant.parse("2026-11-26T10:03:00Z")));

        CliRun run = CliRun.of("rebuild", "plan", R + "/base:latest@" + d("base-2"), "--catalog", catalog.toString(), "--graph", graphFile.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains("cycle: " + R + "/base -> " + R + "/a -> " + R + "/base")
                .contains("skipped " + R + "/a: part of a cycle").contains("nothing to rebuild");
    }
}
