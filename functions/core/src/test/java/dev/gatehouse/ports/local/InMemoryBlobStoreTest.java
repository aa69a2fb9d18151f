package dev.gatehouse.ports.local;

import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.BlobStoreContract;

class InMemoryBlobStoreTest extends BlobStoreContract {

    @Override
    protected BlobStore newStore() {
        return new InMemoryBlobStore();
    }
}
