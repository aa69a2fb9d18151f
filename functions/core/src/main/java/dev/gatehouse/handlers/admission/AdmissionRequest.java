package dev.gatehouse.handlers.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The parts of a Kubernetes AdmissionReview request that admission needs: its uid (echoed in the
 * response), the apiVersion to answer with, the kind and operation, the namespace, and every
 * container image of the object with the JSON pointer of its {@code image} field.
 */
public record AdmissionRequest(String apiVersion, String uid, String kind, String operation, String namespace,
                               String name, boolean dryRun, List<ContainerImage> images) {

    public static final String FORMAT = "AdmissionReview";
    /** AdmissionReview bodies are bounded by the API server (3 MiB objects); we allow a little more. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;
    static final int MAX_CONTAINERS = 1000;
    /** The operations whose object is checked; the others (DELETE, CONNECT) carry nothing to run. */
    static final Set<String> CHECKED_OPERATIONS = Set.of("CREATE", "UPDATE");

    /** One container image in the object: where it is, which container, and the reference as written. */
    public record ContainerImage(String pointer, String container, String containerKind, String image) {}

    public AdmissionRequest {
        images = List.copyOf(images);
    }

    /**
     * Parses an AdmissionReview ({@code admission.k8s.io/v1} or {@code v1beta1}), or a bare
     * AdmissionRequest as kubewarden and gator test data store them.
     */
    public static AdmissionRequest parse(byte[] body) throws MalformedInputException {
        JsonNode root = UntrustedJson.parse(body, FORMAT, MAX_BYTES);
        if (!root.isObject()) {
            throw new MalformedInputException(FORMAT, "/", "expected a JSON object");
        }
        String apiVersion = "admission.k8s.io/v1";
        JsonNode request = root;
        String base = "";
        if (root.has("request")) {
            apiVersion = text(root, "apiVersion", "");
            if (!apiVersion.equals("admission.k8s.io/v1") && !apiVersion.equals("admission.k8s.io/v1beta1")) {
                throw new MalformedInputException(FORMAT, "/apiVersion", "unsupported apiVersion '" + apiVersion
                        + "' (admission.k8s.io/v1 or v1beta1)");
            }
            if (!"AdmissionReview".equals(text(root, "kind", ""))) {
                throw new MalformedInputException(FORMAT, "/kind", "expected kind AdmissionReview");
            }
            request = root.get("request");
            base = "/request";
        }
        if (!request.isObject()) {
            throw new MalformedInputException(FORMAT, base, "expected a request object");
        }
        String uid = text(request, "uid", base);
        if (uid.isEmpty()) {
            throw new MalformedInputException(FORMAT, base + "/uid", "missing uid");
        }
        JsonNode object = request.path("object");
        String operation = request.path("operation").asText("");
        String namespace = request.path("namespace").asText(object.path("metadata").path("namespace").asText(""));
        String name = request.path("name").asText(object.path("metadata").path("name").asText(""));
        // The API server always names the kind; hand-made requests may only carry it in the object.
        JsonNode requestKind = request.path("kind");
        String kind = requestKind.path("kind").asText("");
        String group = requestKind.path("group").isTextual() ? requestKind.path("group").asText() : null;
        if (kind.isEmpty()) {
            kind = object.path("kind").asText("");
            String objectVersion = object.path("apiVersion").isTextual() ? object.path("apiVersion").asText() : null;
            group = objectVersion == null ? null : objectVersion.contains("/") ? objectVersion.substring(0, objectVersion.indexOf('/')) : "";
        }
        boolean checked = CHECKED_OPERATIONS.contains(operation);
        if (checked && kind.isEmpty()) {
            throw new MalformedInputException(FORMAT, base + "/kind", "missing kind: cannot tell whether the object runs containers");
        }
        String podSpec = podSpecPointer(group, kind);
        if (checked && podSpec != null && !object.isObject()) {
            throw new MalformedInputException(FORMAT, base + "/object", "expected the " + kind + " being admitted ("
                    + operation + " carries it)");
        }
        List<ContainerImage> images = new ArrayList<>();
        if (object.isObject()) {
            if (podSpec != null) {
                JsonNode spec = object.at(podSpec);
                if (!spec.isMissingNode() && !spec.isObject()) {
                    throw new MalformedInputException(FORMAT, base + "/object" + podSpec, "expected a pod spec object");
                }
                collect(spec, podSpec, "containers", images, base);
                collect(spec, podSpec, "initContainers", images, base);
                collect(spec, podSpec, "ephemeralContainers", images, base);
            }
        }
        return new AdmissionRequest(apiVersion, uid, kind, operation, namespace, name,
                request.path("dryRun").asBoolean(false), images);
    }

    /**
     * Where the pod spec sits in an object of this kind; null for kinds that hold no pods, including
     * custom resources that reuse a built-in kind name in their own API group. A null group (not
     * stated) matches by kind alone, so a request that omits it is still checked.
     */
    static String podSpecPointer(String group, String kind) {
        String pointer = switch (kind) {
            case "Pod" -> "/spec";
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController" -> "/spec/template/spec";
            case "CronJob" -> "/spec/jobTemplate/spec/template/spec";
            default -> null;
        };
        String home = switch (kind) {
            case "Pod", "ReplicationController" -> "";
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet" -> "apps";
            default -> "batch";
        };
        // extensions/v1beta1 served Deployments, DaemonSets and ReplicaSets before apps/v1.
        boolean ownGroup = group == null || group.equals(home) || home.equals("apps") && group.equals("extensions");
        return ownGroup ? pointer : null;
    }

    private static void collect(JsonNode spec, String specPointer, String field, List<ContainerImage> out, String base)
            throws MalformedInputException {
        JsonNode list = spec.path(field);
        if (list.isMissingNode() || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            throw new MalformedInputException(FORMAT, base + "/object" + specPointer + "/" + field, "expected an array");
        }
        for (int i = 0; i < list.size(); i++) {
            if (out.size() >= MAX_CONTAINERS) {
                throw new MalformedInputException(FORMAT, base + "/object" + specPointer, "more than " + MAX_CONTAINERS + " containers");
            }
            JsonNode c = list.get(i);
            String pointer = specPointer + "/" + field + "/" + i + "/image";
            JsonNode image = c.path("image");
            if (!image.isTextual() || image.asText().isBlank()) {
                boolean absent = image.isMissingNode() || image.isNull() || image.isTextual();
                throw new MalformedInputException(FORMAT, base + "/object" + pointer, absent ? "container has no image"
                        : "expected a string, found " + image.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            out.add(new ContainerImage(pointer, c.path("name").asText(""), field, image.asText()));
        }
    }

    private static String text(JsonNode node, String field, String base) throws MalformedInputException {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new MalformedInputException(FORMAT, base + "/" + field, "expected a string");
        }
        return v.asText();
    }
}
