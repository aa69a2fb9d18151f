package dev.gatehouse.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the third-party SBOM oracles (../shared/oracles/sbom): the CycloneDX specification's
 * valid-* and invalid-* conformance files, and real SBOMs of container images made by syft and
 * trivy. Skipped with a message when the oracles are not present.
 */
class SbomOracleTest {

    private final SbomReader reader = new SbomReader();

    static Path oracle(String sub) {
        String base = System.getProperty("gatehouse.oracles");
        assumeTrue(base != null, "system property gatehouse.oracles not set; SBOM oracle tests skipped");
        Path dir = Path.of(base, "sbom", sub);
        assumeTrue(Files.isDirectory(dir), dir + " absent; SBOM oracle tests skipped");
        return dir;
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches(".*\\.(json|jsonl|golden)$"))
                    .sorted()
                    .toList();
        }
    }

    /** The number of components the document itself lists, counted independently of the reader. */
    static int documentComponentCount(byte[] content) throws MalformedInputException {
        JsonNode root = UntrustedJson.parse(content, "test", 64 * 1024 * 1024);
        if (root.has("payloadType")) {
            root = UntrustedJson.parse(Base64.getDecoder().decode(root.get("payload").asText()), "test");
        }
        if (root.has("predicate")) {
            root = root.get("predicate");
        }
        if (root.has("spdxVersion")) {
            return root.path("packages").size();
        }
        return countTree(root.path("components"));
    }

    private static int countTree(JsonNode components) {
        int n = 0;
        for (JsonNode c : components) {
            n += 1 + countTree(c.path("components"));
        }
        return n;
    }

    @Test
    void cycloneDxConformanceFilesAreClassifiedAsTheSpecificationSays() throws Exception {
        Path root = oracle("cyclonedx-spec-conformance");
        List<String> wrong = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        try (Stream<Path> versions = Files.list(root)) {
            for (Path dir : versions.filter(p -> p.getFileName().toString().matches("\\d+\\.\\d+")).sorted().toList()) {
                int valid = 0;
                int invalid = 0;
                for (Path file : files(dir)) {
                    String name = file.getFileName().toString();
                    boolean expectValid = name.startsWith("valid");
                    if (!expectValid && !name.startsWith("invalid")) {
                        continue;
                    }
                    byte[] content = Files.readAllBytes(file);
                    SbomValidation result = reader.validate(content);
                    if (result.isValid() != expectValid) {
                        wrong.add(dir.getFileName() + "/" + name + " -> " + result);
                        continue;
                    }
                    if (expectValid) {
                        valid++;
                        Inventory inventory = reader.read(content);
                        if (inventory.components().size() != documentComponentCount(content)) {
                            wrong.add(name + ": " + inventory.components().size() + " components, document has "
                                    + documentComponentCount(content));
                        }
                    } else {
                        invalid++;
                        assertThatThrownBy(() -> reader.read(content)).as(name)
                                .isInstanceOf(InvalidSbomException.class)
                                .hasMessageStartingWith("CycloneDX " + dir.getFileName() + " SBOM at /");
                    }
                }
                summary.append(String.format("CycloneDX %s conformance: %d valid-* accepted, %d invalid-* rejected%n",
                        dir.getFileName(), valid, invalid));
            }
        }
        System.out.print(summary);
        assertThat(wrong).isEmpty();
        assertThat(summary).isNotEmpty();
    }

    @Test
    void realImageSbomsGiveCompleteInventories() throws Exception {
        List<Path> all = new ArrayList<>();
        for (String sub : List.of("cyclonedx-bom-examples", "go-witness-alpine", "trivy-fixtures", "spdx-examples")) {
            String base = System.getProperty("gatehouse.oracles");
            Path dir = base == null ? null : Path.of(base, "sbom", sub);
            if (dir != null && Files.isDirectory(dir)) {
                all.addAll(files(dir));
            }
        }
        assumeTrue(!all.isEmpty(), "no real SBOM oracles present; skipped");
        List<String> wrong = new ArrayList<>();
        for (Path file : all) {
            if (file.toString().contains("bad-json")) {
                continue;
            }
            byte[] content = Files.readAllBytes(file);
            try {
                Inventory inventory = reader.read(content);
                int expected = documentComponentCount(content);
                System.out.printf("%-70s %-9s %-4s components=%d files=%d edges=%d os=%s facts=%s%s%n",
                        file.getFileName(), inventory.format().id(), inventory.specVersion(),
                        inventory.components().size(), inventory.files().size(), inventory.dependencies().size(),
                        inventory.os(), inventory.facts(),
                        inventory.warnings().isEmpty() ? "" : " warnings=" + inventory.warnings());
                if (inventory.components().size() != expected) {
                    wrong.add(file + ": " + inventory.components().size() + " components, document has " + expected);
                }
            } catch (MalformedInputException e) {
                wrong.add(file + ": " + e.getMessage());
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void syftAlpineSbomsAgreeAcrossFormats() throws Exception {
        Path dir = oracle("go-witness-alpine");
        Inventory spdx23 = reader.read(Files.readAllBytes(dir.resolve("spdx-2.3/alpine.spdx-2-3.json")));
        Inventory spdx22 = reader.read(Files.readAllBytes(dir.resolve("spdx-2.2/alpine.spdx-2-2.json")));
        Inventory cdx = reader.read(Files.readAllBytes(dir.resolve("cyclonedx-json/alpine.cyclonedx.json")));

        assertThat(spdx23.subject().type()).isEqualTo("CONTAINER");
        assertThat(spdx23.subject().purl().type()).isEqualTo("oci");
        assertThat(spdx23.subject().digest()).isEqualTo(cdx.subject().digest());
        assertThat(cdx.subject().type()).isEqualTo("container");
        for (Inventory inventory : List.of(spdx23, spdx22, cdx)) {
            assertThat(inventory.os()).isEqualTo(new OperatingSystem("alpine", "3.20.0"));
            assertThat(inventory.facts().shells()).contains("busybox");
            assertThat(inventory.facts().packageManagers()).contains("apk-tools");
            assertThat(inventory.components().stream().filter(c -> c.kind() == ComponentKind.OS_PACKAGE).count())
                    .isEqualTo(14);
        }
        assertThat(spdx23.files()).hasSize(77);
        assertThat(spdx23.dependencies()).isNotEmpty();
    }

    @Test
    void trivyAttestationUnwrapsToTheSameInventoryAsThePlainSbom() throws Exception {
        Path dir = oracle("trivy-fixtures");
        Inventory plain = reader.read(Files.readAllBytes(dir.resolve("centos-7-cyclonedx.json")));
        byte[] envelope = Files.readAllBytes(dir.resolve("centos-7-cyclonedx.intoto.jsonl"));
        SbomValidation validation = reader.validate(envelope);
        assertThat(validation.isValid()).isTrue();
        assertThat(validation.wrapping()).contains("DSSE envelope").contains("https://cyclonedx.org/bom");
        Inventory attested = reader.read(envelope);
        assertThat(attested.components()).hasSameSizeAs(plain.components());
        assertThat(attested.os()).isEqualTo(new OperatingSystem("centos", "7.6.1810"));
        assertThat(attested.facts().shells()).containsExactly("bash");
    }

    @Test
    void trivyCycloneDx17IsValidAgainstThe17SchemaAndFullyRead() throws Exception {
        Path dir = oracle("trivy-fixtures");
        byte[] golden = Files.readAllBytes(dir.resolve("fluentd-multiple-lockfiles-short.cdx.json.golden"));
        SbomValidation validation = reader.validate(golden);
        assertThat(validation.isValid()).isTrue();
        assertThat(validation.specVersion()).isEqualTo("1.7");
        assertThat(validation.warnings()).isEmpty();
        Inventory inventory = reader.read(golden);
        assertThat(inventory.components()).hasSize(documentComponentCount(golden));
        assertThat(inventory.dependencies()).isNotEmpty();
    }

    @Test
    void truncatedSyftSbomIsRejectedNamingFormatAndPlace() throws Exception {
        Path bad = oracle("go-witness-alpine").resolve("bad-json/bad.json");
        assumeTrue(Files.exists(bad), "bad.json absent");
        byte[] content = Files.readAllBytes(bad);
        assertThatThrownBy(() -> reader.read(content))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageMatching("(SPDX|CycloneDX) SBOM at line \\d+, column \\d+: .*");
        assertThatThrownBy(() -> reader.validate(content)).isInstanceOf(MalformedInputException.class);
        assertThat(new String(content, StandardCharsets.UTF_8)).isNotEmpty();
    }

    /** The SBOM layers of a real cosign attestation manifest (OCI layout), found by their predicateType annotation. */
    @Test
    void sbomLayersOfARealCosignAttestationAreRead() throws Exception {
        String base = System.getProperty("gatehouse.oracles");
        Path layout = base == null ? null : Path.of(base, "image-attestations", "openvex-discovery", "wolfi-base-att");
        assumeTrue(layout != null && Files.isDirectory(layout), "image-attestations oracle absent; skipped");
        Path blobs = layout.resolve("blobs/sha256");
        int sboms = 0;
        for (JsonNode entry : UntrustedJson.parse(Files.readAllBytes(layout.resolve("index.json")), "index").get("manifests")) {
            JsonNode manifest = UntrustedJson.parse(Files.readAllBytes(blobs.resolve(entry.get("digest").asText().substring(7))), "manifest");
            for (JsonNode layer : manifest.path("layers")) {
                String predicateType = layer.path("annotations").path("predicateType").asText();
                byte[] envelope = Files.readAllBytes(blobs.resolve(layer.get("digest").asText().substring(7)));
                if (!SbomReader.isSbomPredicateType(predicateType)) {
                    assertThatThrownBy(() -> reader.read(envelope)).isInstanceOf(MalformedInputException.class)
                            .hasMessageContaining("is not a CycloneDX or SPDX SBOM");
                    continue;
                }
                sboms++;
                JsonNode statement = UntrustedJson.parse(
                        Base64.getDecoder().decode(UntrustedJson.parse(envelope, "dsse").get("payload").asText()), "statement");
                JsonNode predicate = statement.get("predicate").isTextual()
                        ? UntrustedJson.parse(statement.get("predicate").asText(), "predicate") : statement.get("predicate");
                Inventory inventory = reader.read(envelope);
                assertThat(inventory.components()).hasSize(predicate.path("packages").size() + predicate.path("components").size());
                assertThat(inventory.subject().digest().hex())
                        .isEqualTo(statement.get("subject").get(0).get("digest").get("sha256").asText());
                assertThat(inventory.facts().packageManagers()).isNotEmpty();
                System.out.printf("attestation layer %s: %s %s, %d components, os=%s, facts=%s%n",
                        predicateType, inventory.format().id(), inventory.specVersion(), inventory.components().size(),
                        inventory.os(), inventory.facts());
            }
        }
        assertThat(sboms).isPositive();
    }
}
