package dev.gatehouse.aws;

import dev.gatehouse.ports.StoreException;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

/**
 * The single DynamoDB table behind the verdict cache, result store, idempotency keys and image
 * graph (layout in docs/aws-storage.md). Items are keyed by {@code pk}/{@code sk} strings whose
 * prefix names the concern; {@code expiresAt} (epoch seconds) is the TTL attribute; the
 * {@code byRepository} index lists the latest result of each image per repository.
 */
public record GatehouseTable(DynamoDbClient client, String name) {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String EXPIRES_AT = "expiresAt";
    static final String GSI1_PK = "gsi1pk";
    static final String GSI1_SK = "gsi1sk";
    static final String BY_REPOSITORY = "byRepository";

    /** Creates the table (on-demand billing), its index and TTL; for tests and first deployment. */
    public void create() {
        call("GatehouseTable.create", () -> {
            client.createTable(b -> b.tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            stringAttribute(PK), stringAttribute(SK), stringAttribute(GSI1_PK), stringAttribute(GSI1_SK))
                    .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName(BY_REPOSITORY)
                            .keySchema(key(GSI1_PK, KeyType.HASH), key(GSI1_SK, KeyType.RANGE))
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                            .build()));
            client.waiter().waitUntilTableExists(b -> b.tableName(name));
            client.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(
                    TimeToLiveSpecification.builder().attributeName(EXPIRES_AT).enabled(true).build()));
            return null;
        });
    }

    /** Runs one SDK call, turning SDK failures into a {@link StoreException} naming {@code operation}. */
    <T> T call(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw new StoreException(operation, "DynamoDB table " + name + ": " + e.getMessage(), e);
        }
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static String string(Map<String, AttributeValue> item, String attribute, String operation) {
        AttributeValue value = item.get(attribute);
        if (value == null || value.s() == null) {
            throw new StoreException(operation, "stored item lacks string attribute '" + attribute + "'");
        }
        return value.s();
    }

    static long number(Map<String, AttributeValue> item, String attribute, String operation) {
        AttributeValue value = item.get(attribute);
        try {
            if (value != null && value.n() != null) {
                return Long.parseLong(value.n());
            }
        } catch (NumberFormatException e) {
            throw new StoreException(operation, "stored attribute '" + attribute + "' is not an integer");
        }
        throw new StoreException(operation, "stored item lacks number attribute '" + attribute + "'");
    }

    private static AttributeDefinition stringAttribute(String attribute) {
        return AttributeDefinition.builder().attributeName(attribute).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String attribute, KeyType type) {
        return KeySchemaElement.builder().attributeName(attribute).keyType(type).build();
    }
}
