package dev.gatehouse.aws;

import static dev.gatehouse.aws.GatehouseTable.BY_REPOSITORY;
import static dev.gatehouse.aws.GatehouseTable.GSI1_PK;
import static dev.gatehouse.aws.GatehouseTable.GSI1_SK;
import static dev.gatehouse.aws.GatehouseTable.PK;
import static dev.gatehouse.aws.GatehouseTable.SK;
import static dev.gatehouse.aws.GatehouseTable.n;
import static dev.gatehouse.aws.GatehouseTable.number;
import static dev.gatehouse.aws.GatehouseTable.s;
import static dev.gatehouse.aws.GatehouseTable.string;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.FindingLedger;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.StoredKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The finding ledger in the Gatehouse table. An image and its findings share the partition
 * {@code LEDGER#<repository>@<digest>} (sort keys {@code IMAGE} and {@code F#<finding id>}), so an
 * image's findings are one consistent query; tag heads live under {@code LEDGER#<repository>}
 * ({@code TAG#<tag>}). The {@code byRepository} index lists every image ({@code LEDGER#IMAGES})
 * and every digest's entry of one finding ({@code LEDGER#FINDING#<repository>#<finding id>}).
 */
public final class DynamoDbFindingLedger implements FindingLedger {

    private static final int TRANSACTION = 100;
    private static final String IMAGES_INDEX_PK = "LEDGER#IMAGES";

    private final GatehouseTable table;

    public DynamoDbFindingLedger(GatehouseTable table) {
        this.table = table;
    }

    @Override
    public void write(Update update) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        update.images().forEach(i -> items.add(imageItem(i)));
        update.entries().forEach(e -> items.add(entryItem(e)));
        if (update.head() != null) {
            TagHead head = update.head();
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(PK, s(repositoryPk(head.repository())));
            item.put(SK, s("TAG#" + head.tag()));
            item.put("repository", s(head.repository()));
            item.put("tag", s(head.tag()));
            item.put("digest", s(head.digest().toString()));
            item.put("since", n(head.since().toEpochMilli()));
            items.add(item);
        }
        // Transactions of at most 100 items, in order: images, then entries, then the head, so a
        // replay of a cut-short update finds what it needs to finish.
        for (int from = 0; from < items.size(); from += TRANSACTION) {
            List<TransactWriteItem> writes = items.subList(from, Math.min(items.size(), from + TRANSACTION)).stream()
                    .map(item -> TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item).build()).build())
                    .toList();
            table.call("FindingLedger.write", () -> table.client().transactWriteItems(b -> b.transactItems(writes)));
        }
    }

    @Override
    public Optional<ImageRecord> image(String repository, Digest digest) {
        StoredKeys.repository(repository);
        GetItemResponse response = table.call("FindingLedger.image", () -> table.client().getItem(b -> b.tableName(table.name())
                .key(Map.of(PK, s(imagePk(repository, digest)), SK, s("IMAGE"))).consistentRead(true)));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(image(response.item())) : Optional.empty();
    }

    @Override
    public List<ImageRecord> images() {
        List<ImageRecord> images = new ArrayList<>();
        query("FindingLedger.images", QueryRequest.builder().tableName(table.name()).indexName(BY_REPOSITORY)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", GSI1_PK))
                .expressionAttributeValues(Map.of(":pk", s(IMAGES_INDEX_PK)))
                .build(), item -> images.add(image(item)));
        return images;
    }

    @Override
    public List<Entry> entries(String repository, Digest digest) {
        StoredKeys.repository(repository);
        List<Entry> entries = new ArrayList<>();
        query("FindingLedger.entries", QueryRequest.builder().tableName(table.name())
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(imagePk(repository, digest)), ":prefix", s("F#")))
                .consistentRead(true)
                .build(), item -> entries.add(entry(item, "FindingLedger.entries")));
        return entries;
    }

    @Override
    public List<Entry> history(String repository, FindingKey finding) {
        StoredKeys.repository(repository);
        List<Entry> entries = new ArrayList<>();
        query("FindingLedger.history", QueryRequest.builder().tableName(table.name()).indexName(BY_REPOSITORY)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", GSI1_PK))
                .expressionAttributeValues(Map.of(":pk", s(findingIndexPk(repository, finding))))
                .build(), item -> entries.add(entry(item, "FindingLedger.history")));
        return entries;
    }

    @Override
    public Optional<TagHead> head(String repository, String tag) {
        StoredKeys.repository(repository);
        StoredKeys.tag(tag);
        GetItemResponse response = table.call("FindingLedger.head", () -> table.client().getItem(b -> b.tableName(table.name())
                .key(Map.of(PK, s(repositoryPk(repository)), SK, s("TAG#" + tag))).consistentRead(true)));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        try {
            return Optional.of(new TagHead(string(item, "repository", "FindingLedger.head"), string(item, "tag", "FindingLedger.head"),
                    Digest.parse(string(item, "digest", "FindingLedger.head")),
                    Instant.ofEpochMilli(number(item, "since", "FindingLedger.head"))));
        } catch (IllegalArgumentException e) {
            throw new StoreException("FindingLedger.head", "stored tag head is invalid: " + e.getMessage(), e);
        }
    }

    private void query(String operation, QueryRequest request, java.util.function.Consumer<Map<String, AttributeValue>> sink) {
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest page = request.toBuilder().exclusiveStartKey(start).build();
            QueryResponse response = table.call(operation, () -> table.client().query(page));
            response.items().forEach(sink);
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
    }

    private Map<String, AttributeValue> imageItem(ImageRecord i) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(imagePk(i.repository(), i.digest())));
        item.put(SK, s("IMAGE"));
        item.put(GSI1_PK, s(IMAGES_INDEX_PK));
        item.put(GSI1_SK, s(i.repository() + "@" + i.digest()));
        item.put("repository", s(i.repository()));
        item.put("digest", s(i.digest().toString()));
        putIfSet(item, "tag", i.tag());
        putIfSet(item, "predecessor", i.predecessor() == null ? null : i.predecessor().toString());
        item.put("path", s(i.path()));
        item.put("firstVerifiedAt", n(i.firstVerifiedAt().toEpochMilli()));
        item.put("lastVerifiedAt", n(i.lastVerifiedAt().toEpochMilli()));
        item.put("products", AttributeValue.fromL(i.products().stream()
                .map(p -> AttributeValue.fromM(Map.of("name", s(p.name()), "version", s(p.version())))).toList()));
        item.put("extendedSupportLabel", AttributeValue.fromBool(i.extendedSupportLabel()));
        if (i.supersededBy() != null) {
            item.put("supersededBy", s(i.supersededBy().toString()));
            item.put("supersededAt", n(i.supersededAt().toEpochMilli()));
        }
        return item;
    }

    private Map<String, AttributeValue> entryItem(Entry e) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(imagePk(e.repository(), e.digest())));
        item.put(SK, s("F#" + e.finding().storageId()));
        item.put(GSI1_PK, s(findingIndexPk(e.repository(), e.finding())));
        item.put(GSI1_SK, s(e.digest().toString()));
        item.put("repository", s(e.repository()));
        item.put("digest", s(e.digest().toString()));
        item.put("vulnerability", s(e.finding().vulnerability()));
        item.put("package", s(e.finding().packageRef()));
        item.put("aliases", AttributeValue.fromL(e.aliases().stream().map(GatehouseTable::s).toList()));
        item.put("severity", s(e.severity()));
        item.put("kev", AttributeValue.fromBool(e.kev()));
        item.put("firstSeen", n(e.firstSeen().toEpochMilli()));
        if (e.fixAvailableAt() != null) {
            item.put("fixAvailableAt", n(e.fixAvailableAt().toEpochMilli()));
        }
        item.put("reopened", AttributeValue.fromBool(e.reopened()));
        item.put("updatedAt", n(e.updatedAt().toEpochMilli()));
        if (e.status() instanceof Closed c) {
            item.put("status", s("CLOSED"));
            item.put("closure", s(c.closure().name()));
            item.put("statusAt", n(c.at().toEpochMilli()));
            item.put("statusBy", s(c.by().toString()));
        } else if (e.status() instanceof Superseded sup) {
            item.put("status", s("SUPERSEDED"));
            item.put("statusAt", n(sup.at().toEpochMilli()));
            item.put("statusBy", s(sup.by().toString()));
        } else {
            item.put("status", s("OPEN"));
        }
        return item;
    }

    private static ImageRecord image(Map<String, AttributeValue> item) {
        String op = "FindingLedger.image";
        try {
            List<Product> products = new ArrayList<>();
            AttributeValue stored = item.get("products");
            if (stored != null && stored.hasL()) {
                for (AttributeValue p : stored.l()) {
                    products.add(new Product(string(p.m(), "name", op), string(p.m(), "version", op)));
                }
            }
            return new ImageRecord(string(item, "repository", op), Digest.parse(string(item, "digest", op)), optional(item, "tag"),
                    digestOrNull(optional(item, "predecessor")), string(item, "path", op),
                    Instant.ofEpochMilli(number(item, "firstVerifiedAt", op)), Instant.ofEpochMilli(number(item, "lastVerifiedAt", op)),
                    products, bool(item, "extendedSupportLabel"), digestOrNull(optional(item, "supersededBy")),
                    item.containsKey("supersededAt") ? Instant.ofEpochMilli(number(item, "supersededAt", op)) : null);
        } catch (IllegalArgumentException e) {
            throw new StoreException(op, "stored image record is invalid: " + e.getMessage(), e);
        }
    }

    private static Entry entry(Map<String, AttributeValue> item, String op) {
        try {
            String statusName = string(item, "status", op);
            Status status = switch (statusName) {
                case "OPEN" -> new Open();
                case "CLOSED" -> new Closed(Instant.ofEpochMilli(number(item, "statusAt", op)),
                        Closure.valueOf(string(item, "closure", op)), Digest.parse(string(item, "statusBy", op)));
                case "SUPERSEDED" -> new Superseded(Instant.ofEpochMilli(number(item, "statusAt", op)),
                        Digest.parse(string(item, "statusBy", op)));
                default -> throw new IllegalArgumentException("unknown status '" + statusName + "'");
            };
            AttributeValue aliases = item.get("aliases");
            return new Entry(string(item, "repository", op), Digest.parse(string(item, "digest", op)),
                    new FindingKey(string(item, "vulnerability", op), string(item, "package", op)),
                    aliases != null && aliases.hasL() ? aliases.l().stream().map(AttributeValue::s).toList() : List.of(),
                    string(item, "severity", op), bool(item, "kev"), Instant.ofEpochMilli(number(item, "firstSeen", op)),
                    item.containsKey("fixAvailableAt") ? Instant.ofEpochMilli(number(item, "fixAvailableAt", op)) : null,
                    bool(item, "reopened"), status, Instant.ofEpochMilli(number(item, "updatedAt", op)));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StoreException(op, "stored finding entry is invalid: " + e.getMessage(), e);
        }
    }

    private static void putIfSet(Map<String, AttributeValue> item, String attribute, String value) {
        if (value != null) {
            item.put(attribute, s(value));
        }
    }

    private static String optional(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null ? null : value.s();
    }

    private static boolean bool(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    private static Digest digestOrNull(String value) {
        return value == null ? null : Digest.parse(value);
    }

    private static String imagePk(String repository, Digest digest) {
        return "LEDGER#" + repository + "@" + digest;
    }

    private static String repositoryPk(String repository) {
        return "LEDGER#" + repository;
    }

    private static String findingIndexPk(String repository, FindingKey finding) {
        return "LEDGER#FINDING#" + repository + "#" + finding.storageId();
    }
}
