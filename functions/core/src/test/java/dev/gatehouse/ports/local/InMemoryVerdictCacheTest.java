package dev.gatehouse.ports.local;

import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.ports.VerdictCacheContract;
import dev.gatehouse.ports.TestClock;

class InMemoryVerdictCacheTest extends VerdictCacheContract {

    @Override
    protected VerdictCache newCache(TestClock clock) {
        return new InMemoryVerdictCache(clock);
    }
}
