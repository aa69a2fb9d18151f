package dev.gatehouse.handlers.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.Oracles;
import dev.gatehouse.ports.local.InMemoryVerdictCache;
import dev.gatehouse.sample.SampleDefect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubewarden/verify-image-signatures' admission requests (oracles/k8s-admission, MANIFEST.md) give
 * the outcomes its e2e suite documents. Their images live on ghcr.io, which is never contacted: the
 * same repositories are pushed to the local registry (the signed tag signed by a key the trust
 * configuration names, the unsigned tag without a signature) and the requests are read with the
 * registry host rewritten, as a registry mirror would serve them. The Kubernetes round-trip fixture
 * checks the response wire format on a request carrying every v1 field.
 */
class KubewardenAdmissionOracleTest {

    static final String KUBEWARDEN = "k8s-admission/kubewarden-verify-image-signatures";
    static final String REPOSITORY = "kubewarden/test-verify-image-signatures";

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    static Path dir;

    static AdmissionFixture fixture;
    static AdmissionHandler handler;

    @BeforeAll
    static void pushTheKubewardenImages() throws Exception {
        Oracles.require(KUBEWARDEN);
        fixture = AdmissionFixture.create(REGISTRY, dir);
        fixture.push(REPOSITORY, "signed", Set.of());
        fixture.push(REPOSITORY, "unsigned", EnumSet.of(SampleDefect.UNSIGNED));
        handler = fixture.handler(AdmissionConfig.defaults(), new InMemoryVerdictCache(AdmissionFixture.clock()), FastPath.NONE);
    }

    @AfterAll
    static void close() {
        if (handler != null) {
            handler.close();
            fixture.close();
        }
    }

    /** The request with ghcr.io served by the local registry. */
    private static byte[] request(String file) throws Exception {
        String text = Files.readString(Oracles.require(KUBEWARDEN + "/" + file), StandardCharsets.UTF_8);
        return text.replace("\"ghcr.io/", "\"" + REGISTRY.host() + "/").getBytes(StandardCharsets.UTF_8);
    }

    private static String uid(byte[] request) throws Exception {
        return UntrustedJson.parse(request, "request").get("uid").asText();
    }

    @Test
    void signedPodWithMutationIsAllowedAndPinnedToItsDigest() throws Exception {
        byte[] request = request("pod_creation_signed.json");
        JsonNode json = handler.mutate(request).response().toJson();
        assertThat(json.at("/response/uid").asText()).isEqualTo(uid(request));
        assertThat(json.at("/response/allowed").asBoolean()).isTrue();
        assertThat(json.at("/response/patchType").asText()).isEqualTo("JSONPatch");
        JsonNode object = UntrustedJson.parse(request, "request").get("object");
        JsonNode patched = AdmissionReviews.applyPatch(object, json.at("/response/patch").asText());
        assertThat(patched.at("/spec/containers/0/image").asText()).isEqualTo(REGISTRY.host() + "/" + REPOSITORY + ":signed@"
                + fixture.digestOf(REPOSITORY, "signed"));
    }

    @Test
    void signedPodWithoutMutationIsAllowedWithoutAPatch() throws Exception {
        JsonNode json = handler.validate(request("pod_creation_signed.json")).response().toJson();
        assertThat(json.at("/response/allowed").asBoolean()).isTrue();
        assertThat(json.at("/response/patch").isMissingNode()).isTrue();
        assertThat(json.at("/response/patchType").isMissingNode()).isTrue();
    }

    @Test
    void unsignedPodIsDenied() throws Exception {
        JsonNode json = handler.mutate(request("pod_creation_unsigned.json")).response().toJson();
        assertThat(json.at("/response/allowed").asBoolean()).isFalse();
        assertThat(json.at("/response/status/code").asInt()).isEqualTo(403);
        assertThat(json.at("/response/status/message").asText()).startsWith(REGISTRY.host() + "/" + REPOSITORY + ":unsigned")
                .contains("GH-SIGNED");
        assertThat(json.at("/response/patch").isMissingNode()).isTrue();
    }

    @Test
    void deploymentPodTemplatesAreChecked() throws Exception {
        byte[] signed = request("deployment_creation_signed.json");
        JsonNode allowed = handler.mutate(signed).response().toJson();
        assertThat(allowed.at("/response/allowed").asBoolean()).isTrue();
        JsonNode patched = AdmissionReviews.applyPatch(UntrustedJson.parse(signed, "request").get("object"),
                allowed.at("/response/patch").asText());
        assertThat(patched.at("/spec/template/spec/containers/0/image").asText()).endsWith(":signed@"
                + fixture.digestOf(REPOSITORY, "signed"));
        assertThat(handler.validate(request("deployment_creation_unsigned.json")).response().allowed()).isFalse();
    }

    @Test
    void theKubernetesRoundTripFixtureIsAnsweredInWireFormat() throws Exception {
        byte[] review = Files.readAllBytes(Oracles.require("k8s-admission/kubernetes-fixture/admission.k8s.io.v1.AdmissionReview.json"));
        JsonNode json = handler.validate(review).response().toJson();
        assertThat(json.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(json.get("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(json.at("/response/uid").asText()).isEqualTo("uidValue");
        // A custom resource holds no pods: nothing to check, allowed, nothing else said.
        assertThat(json.at("/response/allowed").asBoolean()).isTrue();
        assertThat(json.has("request")).isFalse();
        assertThat(json.get("response").size()).isEqualTo(2);
    }
}
