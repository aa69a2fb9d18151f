package dev.gatehouse.aws;

import dev.gatehouse.aws.testing.LocalAwsServices;
import dev.gatehouse.ports.WorkQueue;
import dev.gatehouse.ports.WorkQueueContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsServices.class)
class SqsWorkQueueTest extends WorkQueueContract {

    @Override
    protected WorkQueue newQueue() {
        return new SqsWorkQueue(LocalAwsServices.sqs(), LocalAwsServices.newQueue());
    }
}
