package dev.gatehouse.ports.local;

import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.ports.ResultStoreContract;

class InMemoryResultStoreTest extends ResultStoreContract {

    @Override
    protected ResultStore newStore() {
        return new InMemoryResultStore();
    }
}
