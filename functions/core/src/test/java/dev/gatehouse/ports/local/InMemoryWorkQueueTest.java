package dev.gatehouse.ports.local;

import dev.gatehouse.ports.WorkQueue;
import dev.gatehouse.ports.WorkQueueContract;
import java.time.Clock;

class InMemoryWorkQueueTest extends WorkQueueContract {

    @Override
    protected WorkQueue newQueue() {
        return new InMemoryWorkQueue(Clock.systemUTC());
    }
}
