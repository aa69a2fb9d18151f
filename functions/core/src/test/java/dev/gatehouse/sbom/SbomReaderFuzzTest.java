package dev.gatehouse.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Structure-aware fuzzing: random values of random types put at random places of valid SBOMs
 * must give an inventory or a {@link MalformedInputException}, never another exception.
 */
class SbomReaderFuzzTest {

    private static final int MUTATIONS_PER_DOCUMENT = 150;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private record Slot(JsonNode parent, String field, int index) {}

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(f -> {
                slots.add(new Slot(node, f, -1));
                collect(node.get(f), slots);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                slots.add(new Slot(node, null, i));
                collect(node.get(i), slots);
            }
        }
    }

    private static JsonNode randomValue(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> JSON.nullNode();
            case 1 -> JSON.numberNode(random.nextInt(3) - 1);
            case 2 -> JSON.textNode("");
            case 3 -> JSON.textNode("pkg:" + "%".repeat(random.nextInt(3)));
            case 4 -> JSON.arrayNode();
            case 5 -> JSON.objectNode();
            case 6 -> JSON.booleanNode(random.nextBoolean());
            case 7 -> JSON.textNode("sha256:" + "0".repeat(random.nextInt(70)));
            default -> JSON.arrayNode().add(JSON.objectNode().put("x", "y"));
        };
    }

    @Test
    void randomlyMutatedSbomsAreReadOrRefusedCleanly() {
        SbomReader reader = new SbomReader();
        List<Supplier<ObjectNode>> bases = List.of(
                () -> SbomFixtures.cycloneDx("1.6", 4),
                () -> SbomFixtures.cycloneDx("1.4", 4),
                () -> SbomFixtures.cycloneDx("1.7", 4),
                () -> SbomFixtures.spdx("2.3", 4),
                () -> SbomFixtures.spdx("2.2", 4),
                () -> SbomFixtures.statement("https://cyclonedx.org/bom", SbomFixtures.cycloneDx("1.5", 2)));
        Random random = new Random(20261126);
        List<String> crashes = new ArrayList<>();
        int read = 0;
        int refused = 0;
        for (Supplier<ObjectNode> base : bases) {
            for (int i = 0; i < MUTATIONS_PER_DOCUMENT; i++) {
                ObjectNode doc = base.get();
                List<Slot> slots = new ArrayList<>();
                collect(doc, slots);
                StringBuilder what = new StringBuilder();
                for (int m = 1 + random.nextInt(3); m > 0; m--) {
                    Slot slot = slots.get(random.nextInt(slots.size()));
                    JsonNode value = randomValue(random);
                    if (slot.field() != null) {
                        ((ObjectNode) slot.parent()).set(slot.field(), value);
                    } else if (slot.index() < slot.parent().size()) {
                        ((ArrayNode) slot.parent()).set(slot.index(), value);
                    }
                    what.append(slot.field() != null ? slot.field() : "[" + slot.index() + "]").append('=').append(value).append(' ');
                }
                byte[] bytes = SbomFixtures.bytes(doc);
                try {
                    Inventory inventory = reader.read(bytes);
                    assertThat(inventory.components()).isNotNull();
                    read++;
                } catch (MalformedInputException e) {
                    assertThat(e.getMessage()).doesNotContain("\n");
                    refused++;
                } catch (RuntimeException e) {
                    crashes.add(what + "-> " + e + " at " + e.getStackTrace()[0] + "\n  "
                            + new String(bytes, StandardCharsets.UTF_8).substring(0, Math.min(bytes.length, 200)));
                }
            }
        }
        System.out.printf("SBOM fuzz: %d read, %d refused, %d crashed%n", read, refused, crashes.size());
        assertThat(crashes).isEmpty();
    }
}
