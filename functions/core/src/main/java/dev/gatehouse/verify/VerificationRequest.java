package dev.gatehouse.verify;

import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.Platform;
import java.util.List;

/**
 * What to verify and on whose behalf: the reference (a tag is resolved once, then only the digest
 * counts), the platform of a multi-platform image (null: linux/amd64 or the only one), the trigger
 * and Kubernetes namespace for the policy context, and documents the operator supplied directly
 * (trusted as such, like {@code vexctl filter --vex}).
 */
public record VerificationRequest(ImageReference reference, Platform platform, String trigger, String namespace,
                                  List<OperatorDocument> operatorVex, List<OperatorDocument> operatorScans) {

    /** A document the operator handed in, with where it came from for the report. */
    public record OperatorDocument(String location, byte[] content) {}

    public VerificationRequest {
        operatorVex = List.copyOf(operatorVex);
        operatorScans = List.copyOf(operatorScans);
    }

    public static VerificationRequest of(ImageReference reference, String trigger) {
        return new VerificationRequest(reference, null, trigger, null, List.of(), List.of());
    }
}
