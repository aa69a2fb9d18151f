package dev.gatehouse.sbom;

import static dev.gatehouse.sbom.SbomFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CycloneDX 1.7 is validated against the official 1.7 schema bundled in the sbom package, and read
 * fully. The invalid cases mirror each kind of rule the specification's own invalid-*-1.7 test files
 * exercise, on a document generated here.
 */
class CycloneDx17Test {

    private static final String BUNDLED = "/dev/gatehouse/sbom/cyclonedx-1.7/";
    private static final String OPENSSL = SbomFixtures.OPENSSL_PURL;

    private final SbomReader reader = new SbomReader();

    @Test
    void documentUsingOnly17FormsIsValidWithoutWarnings() throws Exception {
        SbomValidation result = reader.validate(bytes(SbomFixtures.cycloneDx17Features()));
        assertThat(result).isInstanceOf(SbomValidation.Valid.class);
        assertThat(result.specVersion()).isEqualTo("1.7");
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void inventoryReads17ComponentsLicencesHashesSuppliersAndDependencies() throws Exception {
        Inventory inventory = reader.read(bytes(SbomFixtures.cycloneDx17Features()));
        assertThat(inventory.specVersion()).isEqualTo("1.7");
        assertThat(inventory.subject().digest()).isEqualTo(Digest.parse(SbomFixtures.IMAGE_DIGEST));
        assertThat(inventory.components()).extracting(Component::name)
                .containsExactly("openssl", "libcrypto3", "libcurl", "AES-256-GCM");

        Component openssl = inventory.components().get(0);
        assertThat(openssl.kind()).isEqualTo(ComponentKind.OS_PACKAGE);
        assertThat(openssl.licenses()).as("the concluded licence, not the declared one")
                .containsExactly("Apache-2.0 AND LicenseRef-OpenSSL");
        assertThat(openssl.supplier()).isEqualTo("OpenSSL Foundation");
        assertThat(openssl.hashes()).containsEntry("SHA3-256", "a1".repeat(32)).containsEntry("BLAKE3", "b2".repeat(32));

        Component libcrypto = inventory.components().get(1);
        assertThat(libcrypto.licenses()).as("a licence and an expression in one list")
                .containsExactly("OpenSSL License", "Apache-2.0");
        assertThat(libcrypto.supplier()).isEqualTo("Debian");

        Component curl = inventory.components().get(2);
        assertThat(curl.version()).as("an external component has a range, not a version").isNull();
        assertThat(curl.supplier()).isEqualTo("Daniel Stenberg");

        assertThat(inventory.dependencies()).containsExactly(new DependencyEdge("image", OPENSSL),
                new DependencyEdge("image", "libcurl"), new DependencyEdge(OPENSSL, "libcrypto"));
        assertThat(inventory.warnings()).isEmpty();
    }

    @Test
    void sameDocumentDeclared16IsInvalidBecause16HasNoCitations() throws Exception {
        ObjectNode bom = SbomFixtures.cycloneDx17Features();
        bom.put("specVersion", "1.6");
        bom.remove("$schema");
        SbomValidation result = reader.validate(bytes(bom));
        assertThat(result).isInstanceOf(SbomValidation.Invalid.class);
        assertThat(((SbomValidation.Invalid) result).violations()).extracting(SchemaViolation::message)
                .anyMatch(m -> m.contains("'citations'"));
    }

    static Stream<Arguments> brokenRules() {
        return Stream.of(
                broken("bomFormat outside its enumeration", "/bomFormat", bom -> bom.put("bomFormat", "CycloneDX-2")),
                broken("serialNumber not a urn:uuid", "/serialNumber", bom -> bom.put("serialNumber", "urn:uuid:42")),
                broken("timestamp not an RFC 3339 date-time", "/metadata/timestamp",
                        bom -> metadata(bom).put("timestamp", "yesterday")),
                broken("1.6-era metadata.distribution, renamed in 1.7", "/metadata",
                        bom -> metadata(bom).put("distribution", "Unrestricted")),
                broken("TLP outside its enumeration", "/metadata/distributionConstraints/tlp",
                        bom -> ((ObjectNode) metadata(bom).get("distributionConstraints")).put("tlp", "PURPLE")),
                broken("metadata licence id not an SPDX id", "/metadata/licenses/0/license/id",
                        bom -> license(metadata(bom), 0).put("id", "CC0")),
                broken("property without a name", "/metadata/properties/0",
                        bom -> ((ObjectNode) metadata(bom).get("properties").get(0)).remove("name")),
                broken("component type outside its enumeration", "/components/0/type",
                        bom -> component(bom, 0).put("type", "spaceship")),
                broken("nested component without a type", "/components/0/components/0",
                        bom -> ((ObjectNode) component(bom, 0).get("components").get(0)).remove("type")),
                broken("component without a name", "/components/2", bom -> component(bom, 2).remove("name")),
                broken("empty bom-ref", "/components/0/bom-ref", bom -> component(bom, 0).put("bom-ref", "")),
                broken("scope outside its enumeration", "/components/0/scope",
                        bom -> component(bom, 0).put("scope", "sometimes")),
                broken("hash algorithm outside its enumeration", "/components/0/hashes/0/alg",
                        bom -> hash(bom, 0).put("alg", "SHA-255")),
                broken("hash content of no known length", "/components/0/hashes/1/content",
                        bom -> hash(bom, 1).put("content", "b2".repeat(31))),
                broken("licence id not an SPDX id", "/components/0/licenses/0/license/id",
                        bom -> license(component(bom, 0), 0).put("id", "Apache-2")),
                broken("licence with neither id nor name", "/components/0/licenses/0/license",
                        bom -> license(component(bom, 0), 0).remove("id")),
                broken("licence and expression in one choice", "/components/0/licenses/1",
                        bom -> ((ObjectNode) component(bom, 0).get("licenses").get(1)).putObject("license").put("id", "MIT")),
                broken("licence text encoding outside its enumeration", "/components/0/licenses/0/license/text/encoding",
                        bom -> license(component(bom, 0), 0).putObject("text").put("content", "x").put("encoding", "base32")),
                broken("swid without tagId", "/components/0/swid",
                        bom -> ((ObjectNode) component(bom, 0).get("swid")).remove("tagId")),
                broken("patch type outside its enumeration", "/components/0/pedigree/patches/0/type",
                        bom -> patch(bom).put("type", "hotfix")),
                broken("issue type outside its enumeration", "/components/0/pedigree/patches/0/resolves/0/type",
                        bom -> ((ObjectNode) patch(bom).get("resolves").get(0)).put("type", "bug")),
                broken("external component with both version and versionRange", "/components/1",
                        bom -> component(bom, 1).put("version", "8.7.1")),
                broken("versionRange on a component explicitly not external", "/components/1",
                        bom -> component(bom, 1).put("isExternal", false)),
                broken("versionRange on a component implicitly not external", "/components/1",
                        bom -> component(bom, 1).remove("isExternal")),
                broken("algorithm family not in cryptography-defs", "/components/2/cryptoProperties/algorithmProperties/algorithmFamily",
                        bom -> ((ObjectNode) component(bom, 2).at("/cryptoProperties/algorithmProperties"))
                                .put("algorithmFamily", "ROT13")),
                broken("dependency without ref", "/dependencies/1",
                        bom -> ((ObjectNode) bom.get("dependencies").get(1)).remove("ref")),
                broken("service data flow outside its enumeration", "/services/0/data/0/flow",
                        bom -> ((ObjectNode) bom.at("/services/0/data/0")).put("flow", "sideways")),
                broken("citation attributed to nobody", "/citations/0",
                        bom -> ((ObjectNode) bom.get("citations").get(0)).remove("attributedTo")),
                broken("citation with both pointers and expressions", "/citations/0",
                        bom -> ((ObjectNode) bom.get("citations").get(0)).putArray("expressions").add("$.components[0]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void eachKindOf17SchemaRuleMakesTheDocumentInvalidAtItsPlace(String rule, String location, Consumer<ObjectNode> breakIt)
            throws Exception {
        ObjectNode bom = SbomFixtures.cycloneDx17Features();
        breakIt.accept(bom);
        SbomValidation result = reader.validate(bytes(bom));
        assertThat(result).as(rule).isInstanceOf(SbomValidation.Invalid.class);
        assertThat(((SbomValidation.Invalid) result).violations()).as(rule)
                .extracting(SchemaViolation::location).contains(location);
        assertThatThrownBy(() -> reader.read(bytes(bom))).as(rule).isInstanceOf(InvalidSbomException.class)
                .hasMessageStartingWith("CycloneDX 1.7 SBOM at /");
    }

    @Test
    void aLicenceIdOutsideTheSpdxListIsReportedWithoutListingTheWholeList() throws Exception {
        ObjectNode bom = SbomFixtures.cycloneDx17Features();
        license(component(bom, 0), 0).put("id", "Apache-2");
        SbomValidation.Invalid result = (SbomValidation.Invalid) reader.validate(bytes(bom));
        assertThat(result.violations()).filteredOn(v -> v.location().endsWith("/license/id")).singleElement()
                .satisfies(v -> assertThat(v.message()).matches("'Apache-2' is not one of the \\d{3,} values the schema allows"));
    }

    /** Offline by construction: every $ref of the bundled files is local or names another bundled file. */
    @Test
    void everyReferenceOfTheBundled17SchemaResolvesToABundledFile() throws Exception {
        List<String> files = List.of("bom-1.7.schema.json", "cryptography-defs.schema.json", "spdx.schema.json",
                "jsf-0.82.schema.json");
        List<String> refs = new ArrayList<>();
        for (String file : files) {
            try (InputStream in = CycloneDx17Test.class.getResourceAsStream(BUNDLED + file)) {
                assertThat(in).as(file).isNotNull();
                JsonNode schema = UntrustedJson.mapper().readTree(in);
                assertThat(schema.path("$id").asText()).isEqualTo("http://cyclonedx.org/schema/" + file);
                collectRefs(schema, refs);
            }
        }
        assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(ref.startsWith("#")
                || files.contains(ref.replaceFirst("#.*", ""))).as(ref).isTrue());
        assertThat(CycloneDx17Test.class.getResource(BUNDLED + "NOTICE")).isNotNull();
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject() && node.path("$ref").isTextual()) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }

    private static Arguments broken(String rule, String location, Consumer<ObjectNode> breakIt) {
        return Arguments.of(rule, location, breakIt);
    }

    private static ObjectNode metadata(ObjectNode bom) {
        return (ObjectNode) bom.get("metadata");
    }

    private static ObjectNode component(ObjectNode bom, int index) {
        return (ObjectNode) bom.get("components").get(index);
    }

    private static ObjectNode license(ObjectNode owner, int index) {
        return (ObjectNode) owner.get("licenses").get(index).get("license");
    }

    private static ObjectNode hash(ObjectNode bom, int index) {
        return (ObjectNode) component(bom, 0).get("hashes").get(index);
    }

    private static ObjectNode patch(ObjectNode bom) {
        return (ObjectNode) component(bom, 0).at("/pedigree/patches/0");
    }
}
