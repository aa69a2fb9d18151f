package dev.gatehouse.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.gatehouse.io.UntrustedJson;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryJsonTest {

    private static Schema policyInputSbomSchema() throws Exception {
        try (InputStream in = InventoryJsonTest.class.getResourceAsStream("/dev/gatehouse/policy/policy-input.v1.schema.json")) {
            JsonNode schema = UntrustedJson.parse(in.readAllBytes(), "policy input schema");
            ObjectNode sbom = schema.get("properties").get("sbom").deepCopy();
            sbom.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(sbom);
        }
    }

    @Test
    void policyInputFormConformsToThePolicyInputSchema() throws Exception {
        Schema schema = policyInputSbomSchema();
        for (byte[] doc : List.of(SbomFixtures.bytes(SbomFixtures.cycloneDx("1.6", 20)),
                SbomFixtures.bytes(SbomFixtures.spdx("2.3", 20)))) {
            Inventory inventory = new SbomReader().read(doc);
            ObjectNode input = InventoryJson.toPolicyInput(inventory, true);
            List<Error> errors = schema.validate(input);
            assertThat(errors).isEmpty();
            assertThat(input.get("signed").asBoolean()).isTrue();
            assertThat(input.get("components")).hasSize(inventory.components().size());
            assertThat(input.get("components").get(3).has("properties")).isFalse();
        }
    }

    @Test
    void inventoryFormUsesSnakeCaseAndPolicyKindNamesAndOmitsAbsentValues() throws Exception {
        Inventory inventory = new SbomReader().read(SbomFixtures.bytes(SbomFixtures.cycloneDx("1.5", 4)));
        ObjectNode json = InventoryJson.toJson(inventory);
        assertThat(json.get("spec_version").asText()).isEqualTo("1.5");
        assertThat(json.get("facts").has("package_managers")).isTrue();
        assertThat(json.get("counts").get("by_kind").get("language").asInt()).isEqualTo(2);
        JsonNode os = json.get("components").get(0);
        assertThat(os.get("kind").asText()).isEqualTo("other");
        assertThat(os.has("purl")).isFalse();
        assertThat(os.has("supplier")).isFalse();
    }
}
