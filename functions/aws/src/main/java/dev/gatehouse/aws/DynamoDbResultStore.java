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
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.StoredKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Results in the Gatehouse table. Each result is a history item under its digest
 * ({@code RESULT#<digest>} / {@code AT#<millis>#<repository>#<revision>}) plus the latest-in-
 * repository item ({@code RESULT#<digest>} / {@code REPO#<repository>}) that the
 * {@code byRepository} index lists. Both are written in one transaction; the latest item only
 * when the result is not older than the stored one, otherwise the history item alone.
 */
public final class DynamoDbResultStore implements ResultStore {

    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";

    private final GatehouseTable table;

    public DynamoDbResultStore(GatehouseTable table) {
        this.table = table;
    }

    @Override
    public void put(VerificationResult result) {
        Map<String, AttributeValue> attributes = attributes(result);
        Map<String, AttributeValue> history = new HashMap<>(attributes);
        history.put(PK, s(pk(result.digest())));
        history.put(SK, s("AT#" + String.format("%013d#%s#%s",
                result.verifiedAt().toEpochMilli(), result.repository(), result.policyRevision())));
        Map<String, AttributeValue> latest = new HashMap<>(attributes);
        latest.put(PK, s(pk(result.digest())));
        latest.put(SK, s("REPO#" + result.repository()));
        latest.put(GSI1_PK, s("REPO#" + result.repository()));
        latest.put(GSI1_SK, s(String.format("%013d#%s", result.verifiedAt().toEpochMilli(), result.digest())));
        try {
            table.client().transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(history).build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(latest)
                            .conditionExpression("attribute_not_exists(#pk) OR #t <= :t")
                            .expressionAttributeNames(Map.of("#pk", PK, "#t", "verifiedAt"))
                            .expressionAttributeValues(Map.of(":t", n(result.verifiedAt().toEpochMilli())))
                            .build()).build()));
        } catch (TransactionCanceledException e) {
            if (!newerResultStored(e)) {
                throw new StoreException("ResultStore.put", "transaction cancelled for " + result.digest() + ": " + e.getMessage(), e);
            }
            table.call("ResultStore.put", () -> table.client().putItem(b -> b.tableName(table.name()).item(history)));
        } catch (SdkException e) {
            throw new StoreException("ResultStore.put", "DynamoDB table " + table.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<VerificationResult> latest(Digest digest) {
        QueryResponse response = table.call("ResultStore.latest", () -> table.client().query(b -> b.tableName(table.name())
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :at)")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(pk(digest)), ":at", s("AT#")))
                .scanIndexForward(false)
                .consistentRead(true)
                .limit(1)));
        return response.items().stream().findFirst().map(item -> result(item, "ResultStore.latest"));
    }

    @Override
    public List<VerificationResult> latestInRepository(String repository, int limit) {
        StoredKeys.repository(repository);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        List<VerificationResult> results = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            int remaining = limit - results.size();
            QueryResponse page = table.call("ResultStore.latestInRepository", () -> table.client().query(b -> b
                    .tableName(table.name())
                    .indexName(BY_REPOSITORY)
                    .keyConditionExpression("#g = :g")
                    .expressionAttributeNames(Map.of("#g", GSI1_PK))
                    .expressionAttributeValues(Map.of(":g", s("REPO#" + repository)))
                    .scanIndexForward(false)
                    .limit(remaining)
                    .exclusiveStartKey(exclusiveStart)));
            for (Map<String, AttributeValue> item : page.items()) {
                results.add(result(item, "ResultStore.latestInRepository"));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && results.size() < limit);
        return List.copyOf(results);
    }

    private static boolean newerResultStored(TransactionCanceledException e) {
        if (!e.hasCancellationReasons() || e.cancellationReasons().size() != 2) {
            return false;
        }
        List<CancellationReason> reasons = e.cancellationReasons();
        String first = reasons.get(0).code();
        return (first == null || first.equals("None")) && CONDITIONAL_CHECK_FAILED.equals(reasons.get(1).code());
    }

    private static String pk(Digest digest) {
        return "RESULT#" + digest;
    }

    private static Map<String, AttributeValue> attributes(VerificationResult result) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("repository", s(result.repository()));
        item.put("digest", s(result.digest().toString()));
        item.put("policyRevision", s(result.policyRevision()));
        item.put("decision", s(result.decision().name()));
        item.put("violations", AttributeValue.fromL(result.violations().stream()
                .map(v -> AttributeValue.fromM(Map.of(
                        "policy", s(v.policy()), "severity", s(v.severity()),
                        "message", s(v.message()), "evidence", s(v.evidence()))))
                .toList()));
        if (result.report() instanceof InlineReport inline) {
            item.put("reportJson", s(inline.json()));
        } else if (result.report() instanceof StoredReport stored) {
            item.put("reportKey", s(stored.blobKey()));
            item.put("reportDigest", s(stored.digest().toString()));
            item.put("reportSize", n(stored.size()));
        }
        item.put("verifiedAt", n(result.verifiedAt().toEpochMilli()));
        return item;
    }

    private static VerificationResult result(Map<String, AttributeValue> item, String operation) {
        try {
            List<Violation> violations = new ArrayList<>();
            AttributeValue stored = item.get("violations");
            if (stored != null && stored.hasL()) {
                for (AttributeValue v : stored.l()) {
                    if (!v.hasM()) {
                        throw new StoreException(operation, "stored violation is not a map");
                    }
                    violations.add(new Violation(string(v.m(), "policy", operation), string(v.m(), "severity", operation),
                            string(v.m(), "message", operation), string(v.m(), "evidence", operation)));
                }
            }
            Report report = item.containsKey("reportJson")
                    ? new InlineReport(string(item, "reportJson", operation))
                    : new StoredReport(string(item, "reportKey", operation),
                            Digest.parse(string(item, "reportDigest", operation)), number(item, "reportSize", operation));
            return new VerificationResult(
                    string(item, "repository", operation),
                    Digest.parse(string(item, "digest", operation)),
                    string(item, "policyRevision", operation),
                    Decision.Outcome.valueOf(string(item, "decision", operation)),
                    violations,
                    report,
                    Instant.ofEpochMilli(number(item, "verifiedAt", operation)));
        } catch (IllegalArgumentException e) {
            throw new StoreException(operation, "stored result is invalid: " + e.getMessage(), e);
        }
    }
}
