package dev.gatehouse.rebuild;

import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.ports.ImageGraph;
import java.util.function.Consumer;

/**
 * Records in the image graph which bases a verified image was built on ({@link BaseImageEvidence}:
 * verified provenance, and base annotations or labels of a signed image). The verdict does not
 * matter: a denied image is exactly the one a base update may fix.
 */
public final class ImageGraphRecorder implements VerificationListener {

    private final ImageGraph graph;
    private final Consumer<String> log;

    public ImageGraphRecorder(ImageGraph graph, Consumer<String> log) {
        this.graph = graph;
        this.log = log;
    }

    @Override
    public void onVerified(VerifiedImage image) {
        if (image.registry().isEmpty() || image.report().input() == null) {
            return;
        }
        BaseImageEvidence.Found found = BaseImageEvidence.of(image.report().input());
        for (String problem : found.ignored()) {
            log.accept("image graph: " + image.pinnedReference() + ": " + problem);
        }
        ImageGraph.ImageRef built = new ImageGraph.ImageRef(image.registry() + "/" + image.repository(), image.digest());
        for (BaseImageEvidence.Base base : found.bases()) {
            if (base.ref().repository().equals(built.repository()) && base.ref().digest().equals(built.digest())) {
                log.accept("image graph: " + image.pinnedReference() + " names itself as its base; not recorded");
                continue;
            }
            graph.record(new ImageGraph.Edge(built, base.ref(), image.verifiedAt()));
        }
    }
}
