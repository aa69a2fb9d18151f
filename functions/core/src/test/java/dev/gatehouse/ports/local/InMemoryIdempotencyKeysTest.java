package dev.gatehouse.ports.local;

import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.ports.IdempotencyKeysContract;
import dev.gatehouse.ports.TestClock;

class InMemoryIdempotencyKeysTest extends IdempotencyKeysContract {

    @Override
    protected IdempotencyKeys newKeys(TestClock clock) {
        return new InMemoryIdempotencyKeys(clock);
    }
}
