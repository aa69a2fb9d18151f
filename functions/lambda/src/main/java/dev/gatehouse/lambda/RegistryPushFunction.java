package dev.gatehouse.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.aws.SecretsManagerSecrets;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.SharedSecret;
import dev.gatehouse.handlers.push.PushHandler;
import dev.gatehouse.handlers.push.PushSummary;
import dev.gatehouse.handlers.push.RegistryEventParser;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * {@code registry-push}: ECR pushes as EventBridge delivers them, and distribution registry
 * notification envelopes POSTed to the function URL (which Lambda hands over as an HTTP request
 * event, answered with an HTTP response object).
 *
 * <p>Function URL requests must carry {@code Authorization: Bearer <secret>} matching the secret in
 * {@code GATEHOUSE_WEBHOOK_SECRET_ARN}, checked before the body is parsed; without a configured
 * secret they are refused, since the URL itself is public. A parsed envelope answers 200 with the
 * per-event summary even when an event failed (a registry would otherwise redeliver it forever; the
 * failure is logged, counted and announced). An EventBridge event whose verification failed throws,
 * so Lambda's asynchronous retries redeliver it (the handler released its claim).
 */
public class RegistryPushFunction {

    static final int MAX_HTTP_BODY_BYTES = RegistryEventParser.MAX_ENVELOPE_BYTES;

    @Inject
    Provider<PushHandler> handler;

    @Inject
    GatehouseConfig config;

    @Inject
    Provider<SecretsManagerSecrets> secrets;

    @Inject
    JsonLog log;

    @Funq("registry-push")
    public JsonNode registryPush(JsonNode event) throws Exception {
        if (event != null && event.has("requestContext") && (event.has("body") || event.has("rawPath"))) {
            return http(event);
        }
        byte[] content = UntrustedJson.mapper().writeValueAsBytes(event);
        PushSummary summary = handler.get().handle(content);
        if (summary.anyFailed()) {
            throw new IllegalStateException("registry event not decided, Lambda will retry: " + summary.toJson().get("events"));
        }
        return summary.toJson();
    }

    private JsonNode http(JsonNode request) {
        String requestId = request.path("requestContext").path("requestId").asText(null);
        JsonLog requestLog = requestId == null ? log : log.with("request_id", requestId);
        Optional<String> secretArn = config.webhookSecretArn().filter(s -> !s.isBlank());
        if (secretArn.isEmpty()) {
            requestLog.warn("webhook refused: no secret configured", Map.of());
            return response(401, error("no webhook secret is configured (GATEHOUSE_WEBHOOK_SECRET_ARN): unauthenticated webhooks are refused"));
        }
        String authorization = header(request, "authorization");
        if (!SharedSecret.of(secrets.get().secretString(secretArn.get())).accepts(authorization)) {
            requestLog.warn("webhook refused: missing or wrong secret", Map.of());
            return response(401, error("missing or wrong webhook secret (Authorization: Bearer ...)"));
        }
        byte[] body;
        try {
            body = body(request);
        } catch (IllegalArgumentException e) {
            return response(400, error(e.getMessage()));
        }
        if (body.length > MAX_HTTP_BODY_BYTES) {
            return response(413, error("request body exceeds " + MAX_HTTP_BODY_BYTES + " bytes"));
        }
        try {
            PushSummary summary = handler.get().withLog(requestLog).handle(body);
            return response(200, summary.toJson());
        } catch (MalformedInputException e) {
            return response(400, error(e.getMessage()));
        }
    }

    private static byte[] body(JsonNode request) {
        JsonNode body = request.get("body");
        if (body == null || body.isNull()) {
            return new byte[0];
        }
        if (!body.isTextual()) {
            throw new IllegalArgumentException("function URL event: body is not a string");
        }
        if (request.path("isBase64Encoded").asBoolean(false)) {
            try {
                return Base64.getDecoder().decode(body.textValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("function URL event: body is not valid base64");
            }
        }
        return body.textValue().getBytes(StandardCharsets.UTF_8);
    }

    /** Function URL events carry header names in lower case. */
    private static String header(JsonNode request, String name) {
        JsonNode value = request.path("headers").get(name);
        return value == null || !value.isTextual() ? null : value.textValue();
    }

    private static ObjectNode error(String message) {
        return UntrustedJson.mapper().createObjectNode().put("error", message);
    }

    private static ObjectNode response(int status, JsonNode body) {
        ObjectNode response = UntrustedJson.mapper().createObjectNode();
        response.put("statusCode", status);
        response.putObject("headers").put("content-type", "application/json");
        response.put("body", body.toString());
        return response;
    }
}
