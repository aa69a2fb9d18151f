package dev.gatehouse.aws;

import dev.gatehouse.aws.testing.LocalAwsServices;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.ports.ResultStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsServices.class)
class DynamoDbResultStoreTest extends ResultStoreContract {

    @Override
    protected ResultStore newStore() {
        return new DynamoDbResultStore(LocalAwsServices.table());
    }
}
