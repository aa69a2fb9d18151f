package dev.gatehouse.aws;

import static dev.gatehouse.aws.GatehouseTable.EXPIRES_AT;
import static dev.gatehouse.aws.GatehouseTable.PK;
import static dev.gatehouse.aws.GatehouseTable.SK;
import static dev.gatehouse.aws.GatehouseTable.n;
import static dev.gatehouse.aws.GatehouseTable.s;

import dev.gatehouse.ports.Expiry;
import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.StoredKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Idempotency claims in the Gatehouse table: a conditional PutItem that succeeds only when no live
 * claim exists, so exactly one of several concurrent claimers wins.
 */
public final class DynamoDbIdempotencyKeys implements IdempotencyKeys {

    private final GatehouseTable table;
    private final Clock clock;

    public DynamoDbIdempotencyKeys(GatehouseTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public boolean claim(String key, Duration ttl) {
        StoredKeys.token("idempotency key", key);
        Instant now = clock.instant();
        long expiresAt = Expiry.epochSecond(now, ttl);
        try {
            table.client().putItem(b -> b.tableName(table.name())
                    .item(Map.of(PK, s(pk(key)), SK, s("CLAIM"), EXPIRES_AT, n(expiresAt)))
                    .conditionExpression("attribute_not_exists(#pk) OR #e <= :now")
                    .expressionAttributeNames(Map.of("#pk", PK, "#e", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreException("IdempotencyKeys.claim", "DynamoDB table " + table.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void release(String key) {
        StoredKeys.token("idempotency key", key);
        Map<String, AttributeValue> itemKey = Map.of(PK, s(pk(key)), SK, s("CLAIM"));
        table.call("IdempotencyKeys.release", () -> table.client().deleteItem(b -> b.tableName(table.name()).key(itemKey)));
    }

    private static String pk(String key) {
        return "IDEMPOTENCY#" + key;
    }
}
