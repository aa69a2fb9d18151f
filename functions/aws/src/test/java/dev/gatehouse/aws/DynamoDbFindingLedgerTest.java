package dev.gatehouse.aws;

import dev.gatehouse.aws.testing.LocalAwsServices;
import dev.gatehouse.ports.FindingLedger;
import dev.gatehouse.ports.FindingLedgerContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsServices.class)
class DynamoDbFindingLedgerTest extends FindingLedgerContract {

    @Override
    protected FindingLedger newLedger() {
        return new DynamoDbFindingLedger(LocalAwsServices.table());
    }
}
