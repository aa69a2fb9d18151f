package dev.gatehouse.aws;

import static dev.gatehouse.aws.GatehouseTable.EXPIRES_AT;
import static dev.gatehouse.aws.GatehouseTable.PK;
import static dev.gatehouse.aws.GatehouseTable.SK;
import static dev.gatehouse.aws.GatehouseTable.n;
import static dev.gatehouse.aws.GatehouseTable.number;
import static dev.gatehouse.aws.GatehouseTable.s;
import static dev.gatehouse.aws.GatehouseTable.string;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.ports.Expiry;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.VerdictCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The verdict cache in the Gatehouse table. A read is one eventually consistent GetItem that
 * projects only the verdict attributes (admission hot path); expiry is checked on read because
 * DynamoDB deletes expired items only eventually.
 */
public final class DynamoDbVerdictCache implements VerdictCache {

    private static final String SORT_KEY = "VERDICT";
    private static final Map<String, String> PROJECTED_NAMES = Map.of(
            "#o", "outcome", "#r", "reasons", "#d", "decidedAt", "#e", EXPIRES_AT);

    private final GatehouseTable table;
    private final Clock clock;

    public DynamoDbVerdictCache(GatehouseTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Optional<Verdict> get(Key key) {
        GetItemRequest request = GetItemRequest.builder()
                .tableName(table.name())
                .key(itemKey(key))
                .projectionExpression("#o, #r, #d, #e")
                .expressionAttributeNames(PROJECTED_NAMES)
                .build();
        Map<String, AttributeValue> item = table.call("VerdictCache.get", () -> table.client().getItem(request).item());
        if (item == null || item.isEmpty()
                || !Expiry.isLive(number(item, EXPIRES_AT, "VerdictCache.get"), clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(verdict(item));
    }

    @Override
    public void put(Key key, Verdict verdict, Duration ttl) {
        long expiresAt = Expiry.epochSecond(clock.instant(), ttl);
        Map<String, AttributeValue> item = new HashMap<>(itemKey(key));
        item.put("outcome", s(verdict.outcome().name()));
        item.put("reasons", AttributeValue.fromL(verdict.reasons().stream().map(AttributeValue::fromS).toList()));
        item.put("decidedAt", n(verdict.decidedAt().toEpochMilli()));
        item.put(EXPIRES_AT, n(expiresAt));
        table.call("VerdictCache.put", () -> table.client().putItem(b -> b.tableName(table.name()).item(item)));
    }

    private static Map<String, AttributeValue> itemKey(Key key) {
        return Map.of(
                PK, s("VERDICT#" + key.repository() + "@" + key.image() + "#" + key.policyRevision() + "#" + key.trustConfiguration()
                        + "#" + key.namespace()),
                SK, s(SORT_KEY));
    }

    private static Verdict verdict(Map<String, AttributeValue> item) {
        String operation = "VerdictCache.get";
        Decision.Outcome outcome;
        try {
            outcome = Decision.Outcome.valueOf(string(item, "outcome", operation));
        } catch (IllegalArgumentException e) {
            throw new StoreException(operation, "stored verdict has an unknown outcome");
        }
        AttributeValue reasons = item.get("reasons");
        List<String> messages = reasons == null || !reasons.hasL() ? List.of()
                : reasons.l().stream().map(AttributeValue::s).toList();
        if (messages.contains(null)) {
            throw new StoreException(operation, "stored verdict has a reason that is not a string");
        }
        return new Verdict(outcome, messages, Instant.ofEpochMilli(number(item, "decidedAt", operation)));
    }
}
