package dev.gatehouse.lambda.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.aws.SecretsManagerSecrets;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.handlers.SharedSecret;
import dev.gatehouse.handlers.admission.AdmissionHandler;
import dev.gatehouse.handlers.admission.AdmissionOutcome;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes admission webhook behind the function URL: {@code POST /validate} and
 * {@code POST /mutate} take an AdmissionReview and answer one (docs/kubernetes-webhooks.md). The
 * URL is public, so callers prove they are the API server with the shared secret from Secrets
 * Manager ({@code GATEHOUSE_ADMISSION_SECRET_ARN}): as {@code Authorization: Bearer <secret>}, or,
 * where the control plane sends no credentials to webhooks (EKS), as the last path segment
 * ({@code /validate/<secret>}). Anything else is answered 401 before the review is read. A direct
 * invocation (IAM-authorised) whose event is itself an AdmissionReview is validated and answered
 * with the AdmissionReview. A thin adapter: all decisions are {@link AdmissionHandler}'s.
 */
public class AdmissionFunction {

    @Inject
    AdmissionHandler handler;

    @Inject
    AdmissionSettings settings;

    @Inject
    Provider<SecretsManagerSecrets> secrets;

    @Inject
    JsonLog log;

    @Inject
    Metrics metrics;

    @Funq("admission")
    public JsonNode admission(JsonNode event) throws MalformedInputException {
        if (!FunctionUrlEvent.isHttp(event)) {
            return record(log, "direct", handler.validate(bytes(event))).response().toJson();
        }
        String requestId = event.path("requestContext").path("requestId").asText(null);
        JsonLog requestLog = requestId == null ? log : log.with("request_id", requestId);
        FunctionUrlEvent request = FunctionUrlEvent.of(event);
        if (!request.route().equals("/validate") && !request.route().equals("/mutate")) {
            return FunctionUrlEvent.error(404, "no route " + FunctionUrlEvent.printable(request.route()) + " (POST /validate or /mutate)");
        }
        if (!request.method().equals("POST")) {
            return FunctionUrlEvent.error(405, "method " + FunctionUrlEvent.printable(request.method()) + " not allowed on "
                    + request.route() + " (POST)");
        }
        Optional<String> secretArn = settings.secretArn().filter(s -> !s.isBlank());
        if (secretArn.isEmpty()) {
            requestLog.warn("admission request refused: no secret configured", Map.of("route", request.route()));
            return FunctionUrlEvent.error(401, "no admission secret is configured (GATEHOUSE_ADMISSION_SECRET_ARN): "
                    + "unauthenticated admission requests are refused");
        }
        if (!SharedSecret.of(secrets.get().secretString(secretArn.get())).accepts(request.authorization(), request.pathSecret())) {
            requestLog.warn("admission request refused: missing or wrong secret", Map.of("route", request.route()));
            return FunctionUrlEvent.error(401, "missing or wrong admission secret (Authorization: Bearer, or the last segment of the URL path)");
        }
        try {
            byte[] body = request.body();
            AdmissionOutcome outcome = request.route().equals("/mutate") ? handler.mutate(body) : handler.validate(body);
            return FunctionUrlEvent.json(200, record(requestLog, request.route(), outcome).response().toJson());
        } catch (MalformedInputException e) {
            // The uid is unknown, so no AdmissionReview can answer; the API server applies failurePolicy.
            return FunctionUrlEvent.error(400, e.getMessage());
        }
    }

    /** One JSON log line per review, and EMF metrics: reviews by route and verdict, and their latency. */
    private AdmissionOutcome record(JsonLog requestLog, String route, AdmissionOutcome outcome) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("route", route);
        fields.put("uid", outcome.response().uid());
        fields.put("allowed", outcome.response().allowed());
        fields.put("mode", outcome.mode().configName());
        fields.put("images", outcome.images().size());
        fields.put("patched", outcome.response().imagePatches().size());
        fields.put("warnings", outcome.response().warnings().size());
        fields.put("millis", outcome.millis());
        requestLog.info("admission review", fields);
        metrics.emit(Map.of("Route", route, "Allowed", Boolean.toString(outcome.response().allowed())),
                List.of(Metrics.Value.count("AdmissionReviews"), Metrics.Value.millis("AdmissionLatency", outcome.millis())));
        return outcome;
    }

    private static byte[] bytes(JsonNode event) {
        try {
            return UntrustedJson.mapper().writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A Lambda function URL request (payload format 2.0): method, route ({@code /validate} or
     * {@code /mutate}), the secret as the URL's last path segment when the caller put it there
     * ({@code /validate/<secret>}), the Authorization header, and the body, decoded only once the
     * caller is authenticated; and the response shapes.
     */
    record FunctionUrlEvent(String method, String route, String pathSecret, String authorization, JsonNode event) {

        static boolean isHttp(JsonNode event) {
            return event.has("requestContext") && event.path("requestContext").has("http");
        }

        static FunctionUrlEvent of(JsonNode event) {
            JsonNode http = event.path("requestContext").path("http");
            String path = event.path("rawPath").asText(http.path("path").asText(""));
            int secondSlash = path.indexOf('/', 1);
            String route = secondSlash < 0 ? path : path.substring(0, secondSlash);
            String pathSecret = secondSlash < 0 ? null : path.substring(secondSlash + 1);
            // Function URL events carry header names in lower case.
            return new FunctionUrlEvent(http.path("method").asText(""), route, pathSecret,
                    event.path("headers").path("authorization").asText(null), event);
        }

        byte[] body() throws MalformedInputException {
            JsonNode body = event.path("body");
            if (!body.isTextual()) {
                throw new MalformedInputException("function URL request", "/body", "expected the AdmissionReview as the request body");
            }
            if (event.path("isBase64Encoded").asBoolean(false)) {
                try {
                    return Base64.getDecoder().decode(body.asText());
                } catch (IllegalArgumentException e) {
                    throw new MalformedInputException("function URL request", "/body", "isBase64Encoded but not base64");
                }
            }
            return body.asText().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "FunctionUrlEvent[" + method + " " + route + (pathSecret == null ? "" : "/****") + "]";
        }

        static ObjectNode json(int status, JsonNode body) {
            ObjectNode response = UntrustedJson.mapper().createObjectNode();
            response.put("statusCode", status);
            response.putObject("headers").put("content-type", "application/json").put("cache-control", "no-store");
            response.put("body", body.toString());
            response.put("isBase64Encoded", false);
            return response;
        }

        static ObjectNode error(int status, String message) {
            ObjectNode body = UntrustedJson.mapper().createObjectNode();
            body.put("error", message);
            return json(status, body);
        }

        static String printable(String text) {
            String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
            return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
        }
    }
}
