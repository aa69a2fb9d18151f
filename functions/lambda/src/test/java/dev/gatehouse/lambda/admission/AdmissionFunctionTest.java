package dev.gatehouse.lambda.admission;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.admission.AdmissionReviews;
import dev.gatehouse.handlers.admission.AdmissionReviews.Container;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.lambda.testing.FunctionProfile;
import dev.gatehouse.lambda.testing.LocalAwsStack;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.oci.testing.Oracles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The {@code admission} function as Lambda runs it: function URL events (payload format 2.0)
 * posted to the Quarkus mock event server on a free port; the policy bundle and the trust
 * configuration from the bundle bucket (S3Mock), verdicts cached in DynamoDB Local, signed sample
 * images in the real local registry. No API server runs here; the reviews are AdmissionReview v1
 * documents as the API server sends them.
 */
@QuarkusTest
@TestProfile(AdmissionFunctionTest.Profile.class)
class AdmissionFunctionTest {

    /**
     * The admission function with namespaces team-* in warn mode, through GATEHOUSE_ADMISSION_CONFIG. The deadline is
     * the longest allowed: these tests pin verdicts, and a first verification on a loaded machine can take over the
     * default 8 s (the deadline itself is pinned in core's AdmissionHandlerTest).
     */
    public static final class Profile extends FunctionProfile {
        @Override
        protected String export() {
            return "admission";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("gatehouse.admission.config", "{deadline: 29s, namespaces: [{match: [\"team-*\"], mode: warn}]}");
            return overrides;
        }
    }

    static final String REPOSITORY = "admission/app";
    static final Map<String, Digest> PUSHED = new ConcurrentHashMap<>();

    /** {@code host/admission/app:TAG}, pushed once: compliant, or with the defect of the tag's name. */
    private static String image(String tag) throws Exception {
        assumeTrue(LocalAwsStack.registry != null, "docker-registry not installed: admission function tests skipped");
        PUSHED.computeIfAbsent(tag, t -> {
            try {
                Set<SampleDefect> defects = t.equals("unsigned") ? EnumSet.of(SampleDefect.UNSIGNED) : Set.of();
                return new SampleImages(LocalAwsStack.registry.repository(REPOSITORY), LocalAwsStack.signer, Instant.now())
                        .build(LocalAwsStack.registry.host() + "/" + REPOSITORY, t, defects).image().digest();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return LocalAwsStack.registry.host() + "/" + REPOSITORY + ":" + tag;
    }

    /** A function URL request as Lambda delivers it, from an API server sending the admission secret as a bearer token. */
    private static ObjectNode urlEvent(String method, String path, byte[] body, boolean base64) {
        return urlEvent(method, path, body, base64, "Bearer " + LocalAwsStack.ADMISSION_SECRET);
    }

    private static ObjectNode urlEvent(String method, String path, byte[] body, boolean base64, String authorization) {
        ObjectNode event = UntrustedJson.mapper().createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", "timeout=10s");
        ObjectNode headers = event.putObject("headers").put("content-type", "application/json").put("host", "abc.lambda-url.eu-west-1.on.aws");
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "anonymous").put("apiId", "abc").put("requestId", "r-1").put("stage", "$default");
        context.putObject("http").put("method", method).put("path", path).put("protocol", "HTTP/1.1")
                .put("sourceIp", "192.0.2.10").put("userAgent", "kube-apiserver-admission");
        event.put("body", base64 ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
        event.put("isBase64Encoded", base64);
        return event;
    }

    private static JsonNode invoke(JsonNode event) throws Exception {
        String answer = given().port(FunctionProfile.EVENT_SERVER_PORT).contentType("application/json").accept("application/json")
                .body(event.toString()).when().post().then().statusCode(200).extract().asString();
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
        ObjectNode request = AdmissionReviews.pod("prod", Container.app("web", image("compliant")),
                Container.app("worker", image("unsigned")));
        JsonNode review = review(invoke(urlEvent("POST", "/validate", AdmissionReviews.bytes(request), false)));
        assertThat(review.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(review.get("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(review.at("/response/uid").asText()).isEqualTo(request.at("/request/uid").asText());
        assertThat(review.at("/response/allowed").asBoolean()).isFalse();
        assertThat(review.at("/response/status/code").asInt()).isEqualTo(403);
        assertThat(review.at("/response/status/message").asText())
                .startsWith(image("unsigned") + " (worker): GH-SIGNED").doesNotContain("\n");
    }

    @Test
    void mutatePinsTheTagToTheVerifiedDigest() throws Exception {
        ObjectNode request = AdmissionReviews.workload("apps", "Deployment", "prod",
                Container.app("web", image("compliant")));
        JsonNode review = review(invoke(urlEvent("POST", "/mutate", AdmissionReviews.bytes(request), true)));
        assertThat(review.at("/response/allowed").asBoolean()).isTrue();
        assertThat(review.at("/response/patchType").asText()).isEqualTo("JSONPatch");
        JsonNode patched = AdmissionReviews.applyPatch(request.at("/request/object"), review.at("/response/patch").asText());
        assertThat(patched.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo(image("compliant") + "@" + PUSHED.get("compliant"));
    }

    @Test
    void verdictsAreCachedInDynamoDbUnderRepositoryDigestAndNamespace() throws Exception {
        ObjectNode request = AdmissionReviews.pod("cache-test", Container.app("web", image("compliant")));
        assertThat(review(invoke(urlEvent("POST", "/validate", AdmissionReviews.bytes(request), false)))
                .at("/response/allowed").asBoolean()).isTrue();
        String prefix = "VERDICT#" + LocalAwsStack.registry.host() + "/" + REPOSITORY + "@" + PUSHED.get("compliant") + "#";
        assertThat(LocalAwsStack.dynamoDb.scan(b -> b.tableName(LocalAwsStack.tables.get("cache"))).items())
                .anySatisfy(item -> assertThat(item.get("pk").s()).startsWith(prefix).endsWith("#cache-test"));
    }

    @Test
    void theAdmissionConfigSetsWarnModeForItsNamespaces() throws Exception {
        ObjectNode request = AdmissionReviews.pod("team-a", Container.app("web", image("unsigned")));
        JsonNode review = review(invoke(urlEvent("POST", "/validate", AdmissionReviews.bytes(request), false)));
        assertThat(review.at("/response/allowed").asBoolean()).isTrue();
        assertThat(review.at("/response/warnings/0").asText()).startsWith(image("unsigned") + ": would be denied:");
    }

    @Test
    void aDirectInvocationWithAnAdmissionReviewIsValidated() throws Exception {
        ObjectNode request = AdmissionReviews.pod("prod", Container.app("web", image("compliant")));
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
        byte[] pod = AdmissionReviews.bytes(AdmissionReviews.pod("prod", Container.app("web", image("compliant"))));
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

    @Test
    void requestsWithoutTheAdmissionSecretAreRefusedBeforeTheReviewIsRead() throws Exception {
        byte[] pod = AdmissionReviews.bytes(AdmissionReviews.pod("unauthenticated", Container.app("web", image("compliant"))));
        for (ObjectNode event : List.of(urlEvent("POST", "/validate", pod, false, null),
                urlEvent("POST", "/validate", pod, false, "Bearer " + LocalAwsStack.WEBHOOK_SECRET),
                urlEvent("POST", "/mutate", pod, false, LocalAwsStack.ADMISSION_SECRET),
                urlEvent("POST", "/validate/not-the-secret-" + LocalAwsStack.ADMISSION_SECRET, pod, false, null),
                urlEvent("POST", "/validate/" + LocalAwsStack.ADMISSION_SECRET + "/", pod, false, null),
                urlEvent("POST", "/validate", "{\"kind\":".getBytes(StandardCharsets.UTF_8), false, null))) {
            JsonNode answer = invoke(event);
            assertThat(answer.get("statusCode").asInt()).as(event.path("rawPath").asText()).isEqualTo(401);
            assertThat(answer.get("body").asText()).contains("missing or wrong admission secret")
                    .doesNotContain(LocalAwsStack.ADMISSION_SECRET);
        }
        assertThat(LocalAwsStack.dynamoDb.scan(b -> b.tableName(LocalAwsStack.tables.get("cache"))).items())
                .as("no verification ran for the refused requests")
                .noneSatisfy(item -> assertThat(item.get("pk").s()).endsWith("#unauthenticated"));
    }

    @Test
    void theSecretAsTheUrlsLastPathSegmentAuthenticatesControlPlanesThatSendNoCredentials() throws Exception {
        ObjectNode pod = AdmissionReviews.pod("prod", Container.app("web", image("compliant")));
        // Answered with a review (the verdicts themselves are pinned by the other tests).
        JsonNode validated = review(invoke(urlEvent("POST", "/validate/" + LocalAwsStack.ADMISSION_SECRET, AdmissionReviews.bytes(pod),
                false, null)));
        assertThat(validated.at("/response/uid").asText()).isEqualTo(pod.at("/request/uid").asText());
        JsonNode mutated = review(invoke(urlEvent("POST", "/mutate/" + LocalAwsStack.ADMISSION_SECRET, AdmissionReviews.bytes(pod),
                true, null)));
        assertThat(mutated.at("/response/uid").asText()).isEqualTo(pod.at("/request/uid").asText());
    }
}
