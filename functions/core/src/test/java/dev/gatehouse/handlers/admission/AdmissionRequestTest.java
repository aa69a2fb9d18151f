package dev.gatehouse.handlers.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.testing.Oracles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionRequestTest {

    private static AdmissionRequest parse(String json) throws MalformedInputException {
        return AdmissionRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void podImagesIncludeInitAndEphemeralContainersWithTheirPointers() throws Exception {
        AdmissionRequest r = parse("""
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1",
                 "kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","namespace":"prod",
                 "object":{"metadata":{"name":"p"},"spec":{
                   "initContainers":[{"name":"init","image":"busybox:1"}],
                   "containers":[{"name":"a","image":"nginx:1.27"},{"name":"b","image":"nginx:1.27"}],
                   "ephemeralContainers":[{"name":"dbg","image":"debug@sha256:%s"}]}}}}
                """.formatted("a".repeat(64)));
        assertThat(r.uid()).isEqualTo("u1");
        assertThat(r.namespace()).isEqualTo("prod");
        assertThat(r.images()).extracting(AdmissionRequest.ContainerImage::pointer).containsExactly(
                "/spec/containers/0/image", "/spec/containers/1/image", "/spec/initContainers/0/image",
                "/spec/ephemeralContainers/0/image");
    }

    @Test
    void cronJobTemplatesAreFound() throws Exception {
        AdmissionRequest r = parse("""
                {"uid":"u2","kind":{"group":"batch","version":"v1","kind":"CronJob"},"operation":"CREATE",
                 "object":{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"job:2"}]}}}}}}}
                """);
        assertThat(r.images()).singleElement().extracting(AdmissionRequest.ContainerImage::pointer)
                .isEqualTo("/spec/jobTemplate/spec/template/spec/containers/0/image");
    }

    @Test
    void malformedReviewsNameThePlace() {
        assertThatThrownBy(() -> parse("{\"apiVersion\":\"admission.k8s.io/v2\",\"kind\":\"AdmissionReview\",\"request\":{}}"))
                .hasMessageContaining("/apiVersion");
        assertThatThrownBy(() -> parse("{\"uid\":\"u\",\"kind\":{\"kind\":\"Pod\"},\"object\":{\"spec\":{\"containers\":[{\"name\":\"x\"}]}}}"))
                .hasMessage("AdmissionReview at /object/spec/containers/0/image: container has no image");
        assertThatThrownBy(() -> parse("{\"kind\":{\"kind\":\"Pod\"}}")).hasMessageContaining("missing uid");
    }

    @Test
    void aRequestWithoutKindIsCheckedByItsObjectsKind() throws Exception {
        AdmissionRequest r = parse("""
                {"uid":"u3","operation":"CREATE","object":{"apiVersion":"apps/v1","kind":"Deployment",
                 "spec":{"template":{"spec":{"containers":[{"name":"c","image":"app:1"}]}}}}}
                """);
        assertThat(r.kind()).isEqualTo("Deployment");
        assertThat(r.images()).extracting(AdmissionRequest.ContainerImage::image).containsExactly("app:1");
    }

    @Test
    void aCreateOrUpdateThatCannotBeCheckedIsRefusedNotAdmitted() {
        assertThatThrownBy(() -> parse("{\"uid\":\"u\",\"operation\":\"CREATE\",\"object\":{\"spec\":{}}}"))
                .hasMessage("AdmissionReview at /kind: missing kind: cannot tell whether the object runs containers");
        assertThatThrownBy(() -> parse("""
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u",
                 "kind":{"group":"","version":"v1","kind":"Pod"},"operation":"UPDATE","object":null}}
                """)).hasMessage("AdmissionReview at /request/object: expected the Pod being admitted (UPDATE carries it)");
    }

    @Test
    void deletesCarryNoObjectAndNothingToCheck() throws Exception {
        AdmissionRequest r = parse("""
                {"uid":"u4","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"DELETE","object":null,
                 "oldObject":{"spec":{"containers":[{"name":"c","image":"app:1"}]}}}
                """);
        assertThat(r.images()).isEmpty();
    }

    @Test
    void workloadKindsAreCheckedInTheirOwnApiGroupsOnly() throws Exception {
        String template = "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"app:1\"}]}}}";
        for (String[] kind : new String[][] {{"apps", "Deployment"}, {"extensions", "DaemonSet"}, {"apps", "StatefulSet"},
                {"apps", "ReplicaSet"}, {"batch", "Job"}, {"", "ReplicationController"}}) {
            AdmissionRequest r = parse("{\"uid\":\"u\",\"kind\":{\"group\":\"%s\",\"version\":\"v1\",\"kind\":\"%s\"},"
                    .formatted(kind[0], kind[1]) + "\"operation\":\"CREATE\",\"object\":{\"spec\":" + template + "}}");
            assertThat(r.images()).as(kind[1]).hasSize(1);
        }
        // A custom resource may reuse a built-in kind name; its spec is its own.
        AdmissionRequest custom = parse("""
                {"uid":"u","kind":{"group":"example.com","version":"v1","kind":"Deployment"},"operation":"CREATE",
                 "object":{"spec":{"template":{"spec":["not","a","pod"]}}}}
                """);
        assertThat(custom.images()).isEmpty();
    }

    @Test
    void responseIsKubernetesWireFormat() throws Exception {
        JsonNode denied = new AdmissionResponse("admission.k8s.io/v1", "u1", false, "nginx:1: not signed", List.of("w"),
                Map.of(), Map.of()).toJson();
        assertThat(denied.at("/response/uid").asText()).isEqualTo("u1");
        assertThat(denied.at("/response/allowed").asBoolean()).isFalse();
        assertThat(denied.at("/response/status/code").asInt()).isEqualTo(403);
        assertThat(denied.at("/response/patch").isMissingNode()).isTrue();

        JsonNode patched = new AdmissionResponse("admission.k8s.io/v1beta1", "u2", true, null, List.of(),
                Map.of("/spec/containers/0/image", "nginx:1@sha256:" + "b".repeat(64)), Map.of()).toJson();
        assertThat(patched.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1beta1");
        assertThat(patched.at("/response/patchType").asText()).isEqualTo("JSONPatch");
        JsonNode ops = UntrustedJson.parse(Base64.getDecoder().decode(patched.at("/response/patch").asText()), "patch");
        assertThat(ops.get(0).get("op").asText()).isEqualTo("replace");
        assertThat(ops.get(0).get("path").asText()).isEqualTo("/spec/containers/0/image");
    }

    @Test
    void kubewardenRequestsAndTheKubernetesFixtureParse() throws Exception {
        var dir = Oracles.require("k8s-admission/kubewarden-verify-image-signatures");
        AdmissionRequest deployment = AdmissionRequest.parse(Files.readAllBytes(dir.resolve("deployment_creation_signed.json")));
        assertThat(deployment.images()).extracting(AdmissionRequest.ContainerImage::image)
                .containsExactly("ghcr.io/kubewarden/test-verify-image-signatures:signed");
        AdmissionRequest init = AdmissionRequest.parse(Files.readAllBytes(dir.resolve("pod_creation_with_init_container.json")));
        assertThat(init.images()).extracting(AdmissionRequest.ContainerImage::containerKind).contains("containers", "initContainers");
        var fixture = Oracles.require("k8s-admission/kubernetes-fixture/admission.k8s.io.v1.AdmissionReview.json");
        AdmissionRequest review = AdmissionRequest.parse(Files.readAllBytes(fixture));
        assertThat(review.uid()).isEqualTo("uidValue");
    }
}
