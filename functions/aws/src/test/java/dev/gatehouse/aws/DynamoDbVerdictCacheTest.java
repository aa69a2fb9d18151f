package dev.gatehouse.aws;

import dev.gatehouse.aws.testing.LocalAwsServices;
import dev.gatehouse.ports.TestClock;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.ports.VerdictCacheContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsServices.class)
class DynamoDbVerdictCacheTest extends VerdictCacheContract {

    @Override
    protected VerdictCache newCache(TestClock clock) {
        return new DynamoDbVerdictCache(LocalAwsServices.table(), clock);
    }
}
