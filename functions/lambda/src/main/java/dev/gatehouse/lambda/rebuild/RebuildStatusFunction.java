package dev.gatehouse.lambda.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.aws.CodeBuildStateChanges;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.Map;

/**
 * {@code rebuild-status}: CodeBuild's "CodeBuild Build State Change" events, as the EventBridge rule
 * on the rebuild projects delivers them, handed to {@link CodeBuildStateChanges}: a finished rebuild
 * is recorded, a failed one retried within the catalog's limits or recorded as failed and published.
 * A malformed event is answered with its one-line error and not retried (it cannot get better); when
 * CodeBuild cannot be asked about the build the invocation fails, so Lambda's asynchronous retries
 * and then the dead-letter queue keep the event.
 */
public class RebuildStatusFunction {

    @Inject
    Provider<CodeBuildStateChanges> changes;

    @Inject
    JsonLog log;

    @Funq("rebuild-status")
    public JsonNode rebuildStatus(JsonNode event) throws Exception {
        byte[] content = UntrustedJson.mapper().writeValueAsBytes(event);
        try {
            JsonNode outcome = changes.get().handle(content).toJson();
            log.info("rebuild-status", Map.of("outcome", outcome.toString()));
            return outcome;
        } catch (MalformedInputException e) {
            log.warn("rebuild-status: malformed event", Map.of("error", e.getMessage()));
            return UntrustedJson.mapper().createObjectNode().put("result", "malformed").put("error", e.getMessage());
        }
    }
}
