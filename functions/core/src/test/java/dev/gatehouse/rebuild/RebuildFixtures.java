package dev.gatehouse.rebuild;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Verified images and policy inputs built in code for the rebuild tests. */
final class RebuildFixtures {

    static final String REGISTRY = "registry.test:5000";

    private RebuildFixtures() {}

    static Digest digest(String seed) {
        return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
    }

    /** A policy input with a verified signature (or none) and the given base annotations. */
    static ObjectNode input(boolean signed, String baseName, Digest baseDigest) {
        ObjectNode input = UntrustedJson.mapper().createObjectNode();
        if (signed) {
            input.putArray("signatures").addObject().put("kind", "cosign");
        } else {
            input.putArray("signatures");
        }
        ObjectNode image = input.putObject("image");
        ObjectNode annotations = image.putObject("annotations");
        image.putObject("config").putObject("labels");
        if (baseName != null) {
            annotations.put(BaseImageEvidence.BASE_NAME, baseName);
            annotations.put(BaseImageEvidence.BASE_DIGEST, baseDigest.toString());
        }
        input.putNull("provenance");
        return input;
    }

    static VerifiedImage verified(String repository, Digest digest, String tag, ObjectNode input, Decision.Outcome outcome, Instant at) {
        Decision decision = new Decision(outcome, List.of(), List.of(), "test");
        VerificationReport report = new VerificationReport(REGISTRY + "/" + repository + ":" + tag, digest.toString(), "linux/amd64",
                decision, List.of(), List.of(), input, new VerificationReport.Timings(0, 0, 0, 0));
        return new VerifiedImage(REGISTRY, repository, digest, tag, "push", "test", report, at);
    }
}
