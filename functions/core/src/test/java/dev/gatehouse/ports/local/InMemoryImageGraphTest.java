package dev.gatehouse.ports.local;

import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.ImageGraphContract;

class InMemoryImageGraphTest extends ImageGraphContract {

    @Override
    protected ImageGraph newGraph() {
        return new InMemoryImageGraph();
    }
}
