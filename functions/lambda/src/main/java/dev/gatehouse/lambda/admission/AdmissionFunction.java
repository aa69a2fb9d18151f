package dev.gatehouse.lambda.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.handlers.admission.AdmissionHandler;
import dev.gatehouse.handlers.admission.AdmissionOutcome;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes admission webhook behind the function URL: {@code POST /validate} and
 * {@code POST /mutate} take an AdmissionReview and answer one (docs/kubernetes-webhooks.md). A
 * direct invocation whose event is itself an AdmissionReview is validated and answered with the
 * AdmissionReview. A thin adapter: all decisions are {@link AdmissionHandler}'s.
 */
public class AdmissionFunction {

    @Inject
    AdmissionHandler handler;

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
        FunctionUrlEvent request;
        try {
            request = FunctionUrlEvent.of(event);
        } catch (MalformedInputException e) {
            return FunctionUrlEvent.error(400, e.getMessage());
        }
        if (!request.path().equals("/validate") && !request.path().equals("/mutate")) {
            return FunctionUrlEvent.error(404, "no route " + FunctionUrlEvent.printable(request.path()) + " (POST /validate or /mutate)");
        }
        if (!request.method().equals("POST")) {
            return FunctionUrlEvent.error(405, "method " + FunctionUrlEvent.printable(request.method()) + " not allowed on "
                    + request.path() + " (POST)");
        }
        try {
            AdmissionOutcome outcome = request.path().equals("/mutate") ? handler.mutate(request.body()) : handler.validate(request.body());
            return FunctionUrlEvent.json(200, record(requestLog, request.path(), outcome).response().toJson());
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

    /** A Lambda function URL request (payload format 2.0) reduced to method, path and body, and the response shapes. */
    record FunctionUrlEvent(String method, String path, byte[] body) {

        static boolean isHttp(JsonNode event) {
            return event.has("requestContext") && event.path("requestContext").has("http");
        }

        static FunctionUrlEvent of(JsonNode event) throws MalformedInputException {
            JsonNode http = event.path("requestContext").path("http");
            String method = http.path("method").asText("");
            String path = event.path("rawPath").asText(http.path("path").asText(""));
            JsonNode body = event.path("body");
            if (!body.isTextual()) {
                throw new MalformedInputException("function URL request", "/body", "expected the AdmissionReview as the request body");
            }
            byte[] bytes;
            if (event.path("isBase64Encoded").asBoolean(false)) {
                try {
                    bytes = Base64.getDecoder().decode(body.asText());
                } catch (IllegalArgumentException e) {
                    throw new MalformedInputException("function URL request", "/body", "isBase64Encoded but not base64");
                }
            } else {
                bytes = body.asText().getBytes(StandardCharsets.UTF_8);
            }
            return new FunctionUrlEvent(method, path, bytes);
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
