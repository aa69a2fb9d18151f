package dev.gatehouse.lambda.admission;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.admission.AdmissionReviews;
import dev.gatehouse.handlers.admission.AdmissionReviews.Container;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.testing.Oracles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The {@code admission} function as Lambda runs it: function URL events (payload format 2.0)
 * posted to the Quarkus mock event server on a free port, images in the real local registry.
 * No API server runs here; the reviews are AdmissionReview v1 documents as the API server sends them.
 */
@QuarkusTest
@TestProfile(AdmissionFunctionTestProfile.class)
class AdmissionFunctionTest {

    private static String setting(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }

    private static int eventServerPort() {
        return ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
    }

    /** A function URL request as Lambda delivers it. */
    private static ObjectNode urlEvent(String method, String path, byte[] body, boolean base64) {
        ObjectNode event = UntrustedJson.mapper().createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", "timeout=10s");
        event.putObject("headers").put("content-type", "application/json").put("host", "abc.lambda-url.eu-west-1.on.aws");
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "anonymous").put("apiId", "abc").put("requestId", "r-1").put("stage", "$default");
        context.putObject("http").put("method", method).put("path", path).put("protocol", "HTTP/1.1")
                .put("sourceIp", "192.0.2.10").put("userAgent", "kube-apiserver-admission");
        event.put("body", base64 ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
        event.put("isBase64Encoded", base64);
        return event;
    }

    private static JsonNode invoke(JsonNode event) throws Exception {
        String answer = given().port(eventServerPort()).contentType("application/json").accept("application/json")
                .body(event.toString()).when().post("/_lambda_").then().statusCode(200).extract().asString();
        return UntrustedJson.parse(answer.getBytes(StandardCharsets.UTF_8), "function answer");
    }

    /** The AdmissionReview in a function URL answer, after checking the HTTP envelope. */
    private static JsonNode review(JsonNode answer) throws Exception {
        assertThat(answer.get("statusCode").asInt()).isEqualTo(200);
        assertThat(answer.at("/headers/content-type").asText()).isEqualTo("application/json");
        return UntrustedJson.parse(answer.get("body").asText().getBytes(StandardCharsets.UTF_8), "AdmissionReview");
    }

    @Test
    void validateAnswersAnAdmissionReviewWithTheUidAndADenialPerImage() throws Exception {
        ObjectNode request = AdmissionReviews.pod("prod", Container.app("web", setting("admission-test.compliant")),
                Container.app("worker", setting("admission-test.unsigned")));
        JsonNode review = review(invoke(urlEvent("POST", "/validate", AdmissionReviews.bytes(request), false)));
        assertThat(review.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(review.get("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(review.at("/response/uid").asText()).isEqualTo(request.at("/request/uid").asText());
        assertThat(review.at("/response/allowed").asBoolean()).isFalse();
        assertThat(review.at("/response/status/code").asInt()).isEqualTo(403);
        assertThat(review.at("/response/status/message").asText())
                .startsWith(setting("admission-test.unsigned") + " (worker): GH-SIGNED").doesNotContain("\n");
    }

    @Test
    void mutatePinsTheTagToTheVerifiedDigest() throws Exception {
        ObjectNode request = AdmissionReviews.workload("apps", "Deployment", "prod",
                Container.app("web", setting("admission-test.compliant")));
        JsonNode review = review(invoke(urlEvent("POST", "/mutate", AdmissionReviews.bytes(request), true)));
        assertThat(review.at("/response/allowed").asBoolean()).isTrue();
        assertThat(review.at("/response/patchType").asText()).isEqualTo("JSONPatch");
        JsonNode patched = AdmissionReviews.applyPatch(request.at("/request/object"), review.at("/response/patch").asText());
        assertThat(patched.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo(setting("admission-test.compliant") + "@" + setting("admission-test.compliant-digest"));
    }

    @Test
    void theAdmissionConfigFileSetsWarnModeForItsNamespaces() throws Exception {
        ObjectNode request = AdmissionReviews.pod("team-a", Container.app("web", setting("admission-test.unsigned")));
        JsonNode review = review(invoke(urlEvent("POST", "/validate", AdmissionReviews.bytes(request), false)));
        assertThat(review.at("/response/allowed").asBoolean()).isTrue();
        assertThat(review.at("/response/warnings/0").asText()).startsWith(setting("admission-test.unsigned") + ": would be denied:");
    }

    @Test
    void aDirectInvocationWithAnAdmissionReviewIsValidated() throws Exception {
        ObjectNode request = AdmissionReviews.pod("prod", Container.app("web", setting("admission-test.compliant")));
        JsonNode review = invoke(request);
        assertThat(review.at("/response/uid").asText()).isEqualTo(request.at("/request/uid").asText());
        assertThat(review.at("/response/allowed").asBoolean()).isTrue();
    }

    @Test
    void theKubernetesRoundTripFixtureIsAnswered() throws Exception {
        byte[] fixture = Files.readAllBytes(Oracles.require("k8s-admission/kubernetes-fixture/admission.k8s.io.v1.AdmissionReview.json"));
        JsonNode review = review(invoke(urlEvent("POST", "/validate", fixture, false)));
        assertThat(review.at("/response/uid").asText()).isEqualTo("uidValue");
        assertThat(review.at("/response/allowed").asBoolean()).isTrue();
    }

    @Test
    void wrongRoutesMethodsAndBodiesAreRefusedInOneLine() throws Exception {
        byte[] pod = AdmissionReviews.bytes(AdmissionReviews.pod("prod", Container.app("web", setting("admission-test.compliant"))));
        JsonNode notFound = invoke(urlEvent("POST", "/admit", pod, false));
        assertThat(notFound.get("statusCode").asInt()).isEqualTo(404);
        JsonNode wrongMethod = invoke(urlEvent("GET", "/validate", pod, false));
        assertThat(wrongMethod.get("statusCode").asInt()).isEqualTo(405);
        JsonNode malformed = invoke(urlEvent("POST", "/validate", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\""
                .getBytes(StandardCharsets.UTF_8), false));
        assertThat(malformed.get("statusCode").asInt()).isEqualTo(400);
        String error = UntrustedJson.parse(malformed.get("body").asText(), "error").get("error").asText();
        assertThat(error).startsWith("AdmissionReview at line 1").doesNotContain("\n").doesNotContain("Exception");
    }
}
