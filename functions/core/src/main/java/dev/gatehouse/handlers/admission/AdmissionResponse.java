package dev.gatehouse.handlers.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An AdmissionReview response in Kubernetes' wire format: the same apiVersion as the request, the
 * request's uid echoed, {@code allowed}, a 403 status with a message when denied, warnings, and for
 * mutation a base64 JSONPatch with {@code patchType: JSONPatch}.
 */
public record AdmissionResponse(String apiVersion, String uid, boolean allowed, String message, List<String> warnings,
                                Map<String, String> imagePatches, Map<String, String> auditAnnotations) {

    public AdmissionResponse {
        warnings = List.copyOf(warnings);
        imagePatches = Map.copyOf(imagePatches);
        auditAnnotations = Map.copyOf(auditAnnotations);
    }

    /** Kubernetes truncates long warnings; each is kept under its 120-character guidance where possible. */
    static final int MAX_WARNINGS = 50;

    public ObjectNode toJson() {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("apiVersion", apiVersion);
        root.put("kind", "AdmissionReview");
        ObjectNode response = root.putObject("response");
        response.put("uid", uid);
        response.put("allowed", allowed);
        if (!allowed) {
            ObjectNode status = response.putObject("status");
            status.put("code", 403);
            status.put("reason", "Forbidden");
            status.put("message", message == null || message.isBlank() ? "denied by Gatehouse" : message);
        }
        if (!warnings.isEmpty()) {
            ArrayNode w = response.putArray("warnings");
            warnings.stream().limit(MAX_WARNINGS).forEach(w::add);
        }
        if (allowed && !imagePatches.isEmpty()) {
            response.put("patchType", "JSONPatch");
            response.put("patch", Base64.getEncoder().encodeToString(patch()));
        }
        if (!auditAnnotations.isEmpty()) {
            ObjectNode a = response.putObject("auditAnnotations");
            new java.util.TreeMap<>(auditAnnotations).forEach(a::put);
        }
        return root;
    }

    /** The JSONPatch that pins every image (pointer to its field) to its verified digest reference. */
    byte[] patch() {
        ArrayNode ops = UntrustedJson.mapper().createArrayNode();
        new java.util.TreeMap<>(imagePatches).forEach((pointer, image) -> {
            ObjectNode op = ops.addObject();
            op.put("op", "replace");
            op.put("path", pointer);
            op.put("value", image);
        });
        try {
            return UntrustedJson.mapper().writeValueAsBytes(ops);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
