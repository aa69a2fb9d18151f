package dev.gatehouse.handlers.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** AdmissionReview v1 documents as the API server sends them, built in code for tests. */
public final class AdmissionReviews {

    private AdmissionReviews() {}

    /** A container of a pod spec: {@code field} is containers, initContainers or ephemeralContainers. */
    public record Container(String field, String name, String image) {
        public static Container app(String name, String image) {
            return new Container("containers", name, image);
        }

        public static Container init(String name, String image) {
            return new Container("initContainers", name, image);
        }

        public static Container ephemeral(String name, String image) {
            return new Container("ephemeralContainers", name, image);
        }
    }

    public static ObjectNode podSpec(List<Container> containers) {
        ObjectNode spec = UntrustedJson.mapper().createObjectNode();
        for (Container c : containers) {
            ArrayNode list = spec.has(c.field()) ? (ArrayNode) spec.get(c.field()) : spec.putArray(c.field());
            list.addObject().put("name", c.name()).put("image", c.image());
        }
        return spec;
    }

    public static ObjectNode pod(String namespace, Container... containers) {
        ObjectNode pod = object("v1", "Pod", namespace);
        pod.set("spec", podSpec(List.of(containers)));
        return review("", "v1", "Pod", "CREATE", namespace, pod);
    }

    /** A Deployment, StatefulSet, DaemonSet, ReplicaSet or Job: the pod spec sits at /spec/template/spec. */
    public static ObjectNode workload(String group, String kind, String namespace, Container... containers) {
        ObjectNode object = object(group + "/v1", kind, namespace);
        object.putObject("spec").putObject("template").set("spec", podSpec(List.of(containers)));
        return review(group, "v1", kind, "CREATE", namespace, object);
    }

    public static ObjectNode cronJob(String namespace, Container... containers) {
        ObjectNode object = object("batch/v1", "CronJob", namespace);
        object.putObject("spec").put("schedule", "*/5 * * * *").putObject("jobTemplate").putObject("spec")
                .putObject("template").set("spec", podSpec(List.of(containers)));
        return review("batch", "v1", "CronJob", "CREATE", namespace, object);
    }

    public static ObjectNode review(String group, String version, String kind, String operation, String namespace, ObjectNode object) {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("apiVersion", "admission.k8s.io/v1");
        root.put("kind", "AdmissionReview");
        ObjectNode request = root.putObject("request");
        request.put("uid", UUID.randomUUID().toString());
        request.putObject("kind").put("group", group).put("version", version).put("kind", kind);
        String resource = kind.toLowerCase(java.util.Locale.ROOT) + "s";
        request.putObject("resource").put("group", group).put("version", version).put("resource", resource);
        request.putObject("requestKind").put("group", group).put("version", version).put("kind", kind);
        request.put("name", object == null ? "x" : object.path("metadata").path("name").asText("x"));
        request.put("namespace", namespace);
        request.put("operation", operation);
        request.putObject("userInfo").put("username", "alice").putArray("groups").add("system:authenticated");
        if (object == null || operation.equals("DELETE")) {
            request.putNull("object");
            request.set("oldObject", object);
        } else {
            request.set("object", object);
            request.putNull("oldObject");
        }
        request.put("dryRun", false);
        return root;
    }

    public static ObjectNode withOperation(ObjectNode review, String operation) {
        ObjectNode copy = review.deepCopy();
        ((ObjectNode) copy.get("request")).put("operation", operation);
        return copy;
    }

    public static ObjectNode dryRun(ObjectNode review) {
        ObjectNode copy = review.deepCopy();
        ((ObjectNode) copy.get("request")).put("dryRun", true);
        return copy;
    }

    public static byte[] bytes(JsonNode review) {
        try {
            return UntrustedJson.mapper().writeValueAsBytes(review);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Applies a base64 JSONPatch from an AdmissionReview response to a copy of {@code object}, as the
     * API server does (RFC 6902 {@code replace} and {@code add}; a replace of a missing path fails).
     */
    public static JsonNode applyPatch(JsonNode object, String base64Patch) throws Exception {
        JsonNode ops = UntrustedJson.parse(Base64.getDecoder().decode(base64Patch), "JSONPatch");
        JsonNode result = object.deepCopy();
        for (JsonNode op : ops) {
            String path = op.get("path").asText();
            int slash = path.lastIndexOf('/');
            JsonNode parent = result.at(path.substring(0, slash));
            String last = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
            switch (op.get("op").asText()) {
                case "replace" -> {
                    if (parent instanceof ObjectNode o && o.has(last)) {
                        o.set(last, op.get("value"));
                    } else if (parent instanceof ArrayNode a && Integer.parseInt(last) < a.size()) {
                        a.set(Integer.parseInt(last), op.get("value"));
                    } else {
                        throw new IllegalArgumentException("replace of a missing path " + path);
                    }
                }
                case "add" -> {
                    if (parent instanceof ObjectNode o) {
                        o.set(last, op.get("value"));
                    } else {
                        throw new IllegalArgumentException("add below a non-object " + path);
                    }
                }
                default -> throw new IllegalArgumentException("unexpected op " + op);
            }
        }
        return result;
    }

    private static ObjectNode object(String apiVersion, String kind, String namespace) {
        ObjectNode object = UntrustedJson.mapper().createObjectNode();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.putObject("metadata").put("name", kind.toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID().toString()
                .substring(0, 8)).put("namespace", namespace);
        return object;
    }
}
