package dev.gatehouse.handlers.admission;

import java.util.List;

/**
 * A handled AdmissionReview: the response to send, and for logs and metrics the mode that applied
 * and what was concluded about each distinct image.
 */
public record AdmissionOutcome(AdmissionResponse response, AdmissionMode mode, List<CheckedImage> images, long millis) {

    /** One distinct image (as first written in the object) and its verdict. */
    public record CheckedImage(String image, ImageVerdict verdict) {}

    public AdmissionOutcome {
        images = List.copyOf(images);
    }
}
