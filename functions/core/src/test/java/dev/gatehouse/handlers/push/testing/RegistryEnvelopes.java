package dev.gatehouse.handlers.push.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Descriptor;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Registry event envelopes produced in code, in the wire formats the registries send: a CNCF
 * distribution notification envelope and an ECR "ECR Image Action" event as EventBridge delivers it.
 */
public final class RegistryEnvelopes {

    private RegistryEnvelopes() {}

    /** One distribution push event of {@code manifest} to {@code host/repository}, tagged {@code tag} (null: by digest). */
    public static byte[] distributionPush(String host, String repository, Descriptor manifest, String tag) {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        addDistributionPush(root.putArray("events"), host, repository, manifest, tag);
        return bytes(root);
    }

    public static void addDistributionPush(ArrayNode events, String host, String repository, Descriptor manifest, String tag) {
        ObjectNode event = events.addObject();
        event.put("id", UUID.randomUUID().toString());
        event.put("timestamp", "2026-11-27T01:00:00.123456789Z");
        event.put("action", "push");
        ObjectNode target = event.putObject("target");
        target.put("mediaType", manifest.mediaType());
        target.put("digest", manifest.digest().toString());
        target.put("size", manifest.size());
        target.put("length", manifest.size());
        target.put("repository", repository);
        target.put("url", "http://" + host + "/v2/" + repository + "/manifests/" + manifest.digest());
        if (tag != null) {
            target.put("tag", tag);
        }
        event.putObject("request").put("id", UUID.randomUUID().toString()).put("addr", "127.0.0.1:40000").put("host", host)
                .put("method", "PUT").put("useragent", "gatehouse-test");
        event.putObject("actor");
        event.putObject("source").put("addr", "registry:5000").put("instanceID", UUID.randomUUID().toString());
    }

    /** An ECR push of {@code digest} to {@code repository} in account 111122223333, eu-west-1. */
    public static byte[] ecrPush(String repository, String digest, String tag) {
        ObjectNode root = eventBridgeEvent("aws.ecr", "ECR Image Action");
        ObjectNode detail = (ObjectNode) root.get("detail");
        detail.put("result", "SUCCESS");
        detail.put("repository-name", repository);
        detail.put("image-digest", digest);
        detail.put("action-type", "PUSH");
        if (tag != null) {
            detail.put("image-tag", tag);
        }
        detail.put("manifest-media-type", "application/vnd.oci.image.manifest.v1+json");
        return bytes(root);
    }

    /**
     * An EventBridge event envelope as AWS services deliver them (account 111122223333, eu-west-1),
     * with an empty {@code detail} and {@code resources} to fill.
     */
    public static ObjectNode eventBridgeEvent(String source, String detailType) {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("version", "0");
        root.put("id", UUID.randomUUID().toString());
        root.put("detail-type", detailType);
        root.put("source", source);
        root.put("account", "111122223333");
        root.put("time", "2026-11-27T01:00:00Z");
        root.put("region", "eu-west-1");
        root.putArray("resources");
        root.putObject("detail");
        return root;
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
