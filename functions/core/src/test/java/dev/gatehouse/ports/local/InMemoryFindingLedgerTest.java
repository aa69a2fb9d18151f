package dev.gatehouse.ports.local;

import dev.gatehouse.ports.FindingLedger;
import dev.gatehouse.ports.FindingLedgerContract;

class InMemoryFindingLedgerTest extends FindingLedgerContract {

    @Override
    protected FindingLedger newLedger() {
        return new InMemoryFindingLedger();
    }
}
