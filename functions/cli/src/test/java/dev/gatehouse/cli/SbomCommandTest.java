package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.sbom.SbomFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SbomCommandTest {

    @TempDir
    Path dir;

    private String write(String name, byte[] content) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file.toString();
    }

    private String write(String name, ObjectNode node) throws Exception {
        return write(name, SbomFixtures.bytes(node));
    }

    @Test
    void validateExitsZeroForAValidSbom() throws Exception {
        String file = write("image.cdx.json", SbomFixtures.cycloneDx("1.6", 5));
        CliRun run = CliRun.of("sbom", "validate", file);
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(file + ": valid CycloneDX 1.6 SBOM\n".replace("\n", System.lineSeparator()));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void validateExitsOneAndListsSchemaViolations() throws Exception {
        ObjectNode bom = SbomFixtures.cycloneDx("1.5", 2);
        ((ObjectNode) bom.get("components").get(1)).put("type", "spaceship");
        bom.put("serialNumber", "not-a-urn");
        String file = write("bad.cdx.json", bom);
        CliRun run = CliRun.of("sbom", "validate", file);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith(file + ": invalid CycloneDX 1.5 SBOM: 2 violations")
                .contains("  /serialNumber: does not match the regex pattern")
                .contains("  /components/1/type: does not have a value in the enumeration");
    }

    @Test
    void validateChecksCycloneDx17AgainstThe17Schema() throws Exception {
        ObjectNode bom = SbomFixtures.cycloneDx17Features();
        CliRun valid = CliRun.of("sbom", "validate", write("bom-1.7.cdx.json", bom));
        assertThat(valid.exitCode()).isZero();
        assertThat(valid.err()).isEmpty();
        ((ObjectNode) bom.get("components").get(1)).put("isExternal", false);
        String file = write("range-not-external.cdx.json", bom);
        CliRun invalid = CliRun.of("sbom", "validate", file);
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.out()).startsWith(file + ": invalid CycloneDX 1.7 SBOM: 1 violation").contains("  /components/1: ");
    }

    @Test
    void validateJsonOutputCarriesViolationsAndWarnings() throws Exception {
        ObjectNode doc = SbomFixtures.spdx("2.2", 1);
        doc.get("packages").forEach(p -> ((ObjectNode) p).remove("downloadLocation"));
        CliRun run = CliRun.of("sbom", "validate", "--json", write("doc.spdx.json", doc));
        assertThat(run.exitCode()).isZero();
        JsonNode result = UntrustedJson.parse(run.out(), "output");
        assertThat(result.get("valid").asBoolean()).isTrue();
        assertThat(result.get("format").asText()).isEqualTo("spdx");
        assertThat(result.get("spec_version").asText()).isEqualTo("2.2");
        assertThat(result.get("warnings").get(0).asText()).startsWith("package without the required downloadLocation");
    }

    @Test
    void strictValidationTurnsWarningsIntoViolations() throws Exception {
        ObjectNode doc = SbomFixtures.spdx("2.3", 1);
        doc.get("packages").forEach(p -> ((ObjectNode) p).remove("downloadLocation"));
        String file = write("lenient.spdx.json", doc);
        assertThat(CliRun.of("sbom", "validate", file).exitCode()).isZero();
        CliRun strict = CliRun.of("sbom", "validate", "--strict", file);
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.out()).contains("invalid SPDX 2.3 SBOM: 1 violation")
                .contains("/: strict: package without the required downloadLocation (4x, first at /packages/0)");
    }

    @Test
    void validateOfMalformedJsonExitsOneNamingFormatAndPlace() throws Exception {
        String text = SbomFixtures.pretty(SbomFixtures.spdx("2.3", 2));
        String file = write("truncated.spdx.json", text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8));
        CliRun run = CliRun.of("sbom", "validate", file);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.firstErrorLine()).matches("gatehouse sbom validate: .*truncated.spdx.json: SPDX SBOM at line \\d+, column \\d+: .+");
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void inventoryPrintsTheNormalisedInventory() throws Exception {
        ObjectNode statement = SbomFixtures.statement("https://cyclonedx.org/bom", SbomFixtures.cycloneDx("1.5", 4));
        CliRun run = CliRun.of("sbom", "inventory", write("sbom.intoto.json", SbomFixtures.dsse(statement)));
        assertThat(run.exitCode()).isZero();
        JsonNode inventory = UntrustedJson.parse(run.out(), "output");
        assertThat(inventory.get("format").asText()).isEqualTo("cyclonedx");
        assertThat(inventory.get("spec_version").asText()).isEqualTo("1.5");
        assertThat(inventory.get("subject").get("digest").asText()).isEqualTo(SbomFixtures.IMAGE_DIGEST);
        assertThat(inventory.get("os").get("name").asText()).isEqualTo("debian");
        assertThat(inventory.get("components")).hasSize(7);
        assertThat(inventory.get("counts").get("components").asInt()).isEqualTo(7);
        assertThat(inventory.get("counts").get("by_kind").get("os").asInt()).isEqualTo(4);
        JsonNode deb = inventory.get("components").get(3);
        assertThat(deb.get("kind").asText()).isEqualTo("os");
        assertThat(deb.get("purl").asText()).startsWith("pkg:deb/debian/libexample0@1.0-1");
        assertThat(deb.get("hashes").get("SHA-256").asText()).hasSize(64);
        assertThat(inventory.get("facts").get("shells").get(0).asText()).isEqualTo("bash");
        assertThat(inventory.get("facts").get("package_managers").get(0).asText()).isEqualTo("apt");
        assertThat(inventory.get("dependencies").get(0).get("from").asText()).isEqualTo("image");
    }

    @Test
    void inventoryOfAnInvalidSbomIsAOneLineErrorWithExitTwo() throws Exception {
        ObjectNode doc = SbomFixtures.spdx("2.3", 1);
        doc.remove("creationInfo");
        String file = write("doc.spdx.json", doc);
        CliRun run = CliRun.of("sbom", "inventory", file);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).isEqualTo("gatehouse sbom inventory: " + file
                + ": SPDX 2.3 SBOM at /creationInfo: required property 'creationInfo' not found");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void missingFileIsAOneLineError() {
        CliRun run = CliRun.of("sbom", "inventory", dir.resolve("nope.json").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).endsWith("nope.json: no such file");
    }

    /** A sample of the third-party oracles through the CLI; all of them run in core's SbomOracleTest. */
    @Test
    void oracleSampleThroughTheCli() throws Exception {
        String base = System.getProperty("gatehouse.oracles");
        Path sbom = base == null ? null : Path.of(base, "sbom");
        assumeTrue(sbom != null && Files.isDirectory(sbom), "SBOM oracles absent; skipped");
        List<String> wrong = new ArrayList<>();
        for (String version : List.of("1.4", "1.5", "1.6")) {
            Path conformance = sbom.resolve("cyclonedx-spec-conformance").resolve(version);
            if (!Files.isDirectory(conformance)) {
                continue;
            }
            try (Stream<Path> files = Files.list(conformance)) {
                for (Path f : files.sorted().filter((p) -> p.getFileName().toString().startsWith("valid-component")
                        || p.getFileName().toString().startsWith("invalid-component")).toList()) {
                    int expected = f.getFileName().toString().startsWith("valid") ? 0 : 1;
                    CliRun run = CliRun.of("sbom", "validate", f.toString());
                    if (run.exitCode() != expected) {
                        wrong.add(f + " exit " + run.exitCode() + ": " + run.out() + run.err());
                    }
                }
            }
        }
        for (String real : List.of("go-witness-alpine/spdx-2.3/alpine.spdx-2-3.json",
                "go-witness-alpine/cyclonedx-json/alpine.cyclonedx.json", "trivy-fixtures/centos-7-spdx.json",
                "trivy-fixtures/centos-7-cyclonedx.intoto.jsonl")) {
            Path f = sbom.resolve(real);
            if (!Files.exists(f)) {
                continue;
            }
            CliRun run = CliRun.of("sbom", "inventory", "--compact", f.toString());
            if (run.exitCode() != 0 || UntrustedJson.parse(run.out(), "output").get("components").isEmpty()) {
                wrong.add(f + " exit " + run.exitCode() + ": " + run.err());
            }
        }
        Path bad = sbom.resolve("go-witness-alpine/bad-json/bad.json");
        if (Files.exists(bad)) {
            CliRun run = CliRun.of("sbom", "validate", bad.toString());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.firstErrorLine()).matches(".*bad.json: (SPDX|CycloneDX) SBOM at line \\d+, column \\d+: .+");
            assertThat(CliRun.of("sbom", "inventory", bad.toString()).exitCode()).isEqualTo(2);
        }
        assertThat(wrong).isEmpty();
    }
}
