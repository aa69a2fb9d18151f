package dev.gatehouse.aws;

import static dev.gatehouse.aws.GatehouseTable.PK;
import static dev.gatehouse.aws.GatehouseTable.SK;
import static dev.gatehouse.aws.GatehouseTable.n;
import static dev.gatehouse.aws.GatehouseTable.number;
import static dev.gatehouse.aws.GatehouseTable.s;
import static dev.gatehouse.aws.GatehouseTable.string;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.StoredKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The image graph in the Gatehouse table, partitioned by base repository ({@code BASE#<repo>}).
 * Each edge is two items written together: one under the base tag
 * ({@code T#<tag>#<base digest>#<image>}) and one under the base digest
 * ({@code D#<base digest>#<image>}), so both questions are single-partition queries.
 */
public final class DynamoDbImageGraph implements ImageGraph {

    private final GatehouseTable table;

    public DynamoDbImageGraph(GatehouseTable table) {
        this.table = table;
    }

    @Override
    public void record(Edge edge) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        attributes.put(PK, s(pk(edge.base().repository())));
        attributes.put("imageRepository", s(edge.image().repository()));
        attributes.put("imageDigest", s(edge.image().digest().toString()));
        attributes.put("baseRepository", s(edge.base().repository()));
        attributes.put("baseDigest", s(edge.base().digest().toString()));
        if (edge.base().tag() != null) {
            attributes.put("baseTag", s(edge.base().tag()));
        }
        attributes.put("recordedAt", n(edge.recordedAt().toEpochMilli()));
        String image = edge.image().repository() + "@" + edge.image().digest();
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(put(attributes, "D#" + edge.base().digest() + "#" + image));
        if (edge.base().tag() != null) {
            writes.add(put(attributes, "T#" + edge.base().tag() + "#" + edge.base().digest() + "#" + image));
        }
        table.call("ImageGraph.record", () -> table.client().transactWriteItems(b -> b.transactItems(writes)));
    }

    @Override
    public List<Edge> dependents(String baseRepository, String baseTag) {
        StoredKeys.repository(baseRepository);
        return query("ImageGraph.dependents", baseRepository, "T#" + StoredKeys.tag(baseTag) + "#");
    }

    @Override
    public List<Edge> dependentsOfDigest(String baseRepository, Digest baseDigest) {
        StoredKeys.repository(baseRepository);
        return query("ImageGraph.dependentsOfDigest", baseRepository, "D#" + baseDigest + "#");
    }

    private TransactWriteItem put(Map<String, AttributeValue> attributes, String sortKey) {
        Map<String, AttributeValue> item = new HashMap<>(attributes);
        item.put(SK, s(sortKey));
        return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item).build()).build();
    }

    private List<Edge> query(String operation, String baseRepository, String prefix) {
        List<Edge> edges = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse page = table.call(operation, () -> table.client().query(b -> b.tableName(table.name())
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                    .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                    .expressionAttributeValues(Map.of(":pk", s(pk(baseRepository)), ":prefix", s(prefix)))
                    .exclusiveStartKey(exclusiveStart)));
            for (Map<String, AttributeValue> item : page.items()) {
                edges.add(edge(item, operation));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return edges;
    }

    private static Edge edge(Map<String, AttributeValue> item, String operation) {
        try {
            AttributeValue tag = item.get("baseTag");
            return new Edge(
                    new ImageRef(string(item, "imageRepository", operation), Digest.parse(string(item, "imageDigest", operation))),
                    new BaseRef(string(item, "baseRepository", operation), tag == null ? null : tag.s(),
                            Digest.parse(string(item, "baseDigest", operation))),
                    Instant.ofEpochMilli(number(item, "recordedAt", operation)));
        } catch (IllegalArgumentException e) {
            throw new StoreException(operation, "stored edge is invalid: " + e.getMessage(), e);
        }
    }

    private static String pk(String baseRepository) {
        return "BASE#" + baseRepository;
    }
}
