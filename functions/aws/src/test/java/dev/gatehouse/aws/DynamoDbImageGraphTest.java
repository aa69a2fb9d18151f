package dev.gatehouse.aws;

import dev.gatehouse.aws.testing.LocalAwsServices;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.ImageGraphContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsServices.class)
class DynamoDbImageGraphTest extends ImageGraphContract {

    @Override
    protected ImageGraph newGraph() {
        return new DynamoDbImageGraph(LocalAwsServices.table());
    }
}
