package dev.gatehouse.lambda.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.aws.testing.AwsJsonServer;
import dev.gatehouse.aws.testing.AwsJsonServer.Reply;
import dev.gatehouse.io.UntrustedJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * EventBridge PutEvents and Secrets Manager GetSecretValue on the aws module's loopback
 * {@link AwsJsonServer} (there is no local EventBridge or Secrets Manager): records the entries put
 * and answers the secrets it was given.
 */
public final class AwsStubEndpoint implements AutoCloseable {

    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final AwsJsonServer server;

    public AwsStubEndpoint() throws IOException {
        server = AwsJsonServer.start(this::answer);
    }

    private Reply answer(String target, JsonNode request) {
        if (target.endsWith(".PutEvents")) {
            request.get("Entries").forEach(events::add);
            return Reply.ok("{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"stub-" + events.size() + "\"}]}");
        }
        String id = request.path("SecretId").asText();
        if (target.equals("secretsmanager.GetSecretValue") && secrets.containsKey(id)) {
            return Reply.ok(UntrustedJson.mapper().createObjectNode().put("ARN", id).put("Name", "stub").put("SecretString", secrets.get(id))
                    .put("VersionId", "v1").toString());
        }
        return Reply.error("ResourceNotFoundException", "stub does not know " + target);
    }

    public String url() {
        return server.url();
    }

    public void secret(String id, String value) {
        secrets.put(id, value);
    }

    /** The PutEvents entries received so far ({@code Source}, {@code DetailType}, {@code Detail}, {@code EventBusName}). */
    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        server.close();
    }
}
