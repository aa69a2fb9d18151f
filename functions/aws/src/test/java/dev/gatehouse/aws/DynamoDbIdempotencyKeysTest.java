package dev.gatehouse.aws;

import dev.gatehouse.aws.testing.LocalAwsServices;
import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.ports.IdempotencyKeysContract;
import dev.gatehouse.ports.TestClock;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsServices.class)
class DynamoDbIdempotencyKeysTest extends IdempotencyKeysContract {

    @Override
    protected IdempotencyKeys newKeys(TestClock clock) {
        return new DynamoDbIdempotencyKeys(LocalAwsServices.table(), clock);
    }
}
