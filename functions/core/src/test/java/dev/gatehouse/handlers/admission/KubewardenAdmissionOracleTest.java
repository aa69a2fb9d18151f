package dev.gatehouse.handlers.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signature.ImageSignatureVerifier;
import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
 * registry host rewritten, as a registry mirror would serve them. The keyless cases get a cosign
 * signature from a Fulcio-like certificate for the identity the kubewarden settings name, logged in
 * a Rekor-like log of a local trusted root, and the settings' issuer and subject become the trust
 * configuration. The Kubernetes round-trip fixture checks the response wire format on a request
 * carrying every v1 field.
 */
class KubewardenAdmissionOracleTest {

    static final String KUBEWARDEN = "k8s-admission/kubewarden-verify-image-signatures";
    static final String REPOSITORY = "kubewarden/test-verify-image-signatures";

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    static Path dir;

    static final String KEYLESS_REPOSITORY = "kubewarden/tests/pod-privileged";

    static AdmissionFixture fixture;
    static AdmissionHandler handler;
    static SigstoreFixtures sigstore;

    @BeforeAll
    static void pushTheKubewardenImages() throws Exception {
        Oracles.require(KUBEWARDEN);
        fixture = AdmissionFixture.create(REGISTRY, dir);
        fixture.push(REPOSITORY, "signed", Set.of());
        fixture.push(REPOSITORY, "unsigned", EnumSet.of(SampleDefect.UNSIGNED));
        handler = fixture.handler(AdmissionFixture.patientDefaults(), new InMemoryVerdictCache(AdmissionFixture.clock()), FastPath.NONE);
        sigstore = new SigstoreFixtures();
        sigstore.writeTrustedRoot(fixture.trustDir());
        // Evidence signed by the sample key, and the image signature keyless, as the e2e image is.
        Digest keyless = fixture.push(KEYLESS_REPOSITORY, "v0.2.1", EnumSet.of(SampleDefect.UNSIGNED));
        attachKeylessSignature(REGISTRY.repository(KEYLESS_REPOSITORY), keyless, REGISTRY.host() + "/" + KEYLESS_REPOSITORY,
                "flavio@castelli.me", "https://github.com/login/oauth");
    }

    /** A cosign .sig layer as `cosign sign` writes it in keyless mode: signature, certificate, chain and Rekor bundle. */
    static void attachKeylessSignature(OciRepository repository, Digest image, String dockerReference, String subject,
                                       String issuer) throws Exception {
        KeyPair key = SigstoreFixtures.key("P-256");
        X509Certificate leaf = sigstore.issue(key.getPublic(), subject, issuer);
        String certPem = SigstoreFixtures.pem("CERTIFICATE", SigstoreFixtures.encoded(leaf));
        String chainPem = SigstoreFixtures.pem("CERTIFICATE", SigstoreFixtures.encoded(sigstore.intermediate))
                + SigstoreFixtures.pem("CERTIFICATE", SigstoreFixtures.encoded(sigstore.root));
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + dockerReference + "\"},\"image\":"
                + "{\"docker-manifest-digest\":\"" + image + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        byte[] signature = SigstoreFixtures.sign(key.getPrivate(), payload);
        String rekor = sigstore.cosignRekorBundle(SigstoreFixtures.hashedRekordBody(payload, signature, certPem), 42);
        Descriptor layer = repository.putBlob(payload, MediaTypes.COSIGN_SIMPLE_SIGNING).withAnnotations(Map.of(
                ImageSignatureVerifier.SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(signature),
                ImageSignatureVerifier.CERTIFICATE_ANNOTATION, certPem,
                ImageSignatureVerifier.CHAIN_ANNOTATION, chainPem,
                ImageSignatureVerifier.BUNDLE_ANNOTATION, rekor));
        Descriptor config = repository.putBlob("{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_CONFIG);
        repository.putManifest(ImageManifest.build(null, config, List.of(layer), null, Map.of()), CosignTag.SIGNATURE.tagFor(image));
    }

    /**
     * The trust configuration kubewarden's keyless settings describe: their issuer and subject for
     * the image they name (its repository, on the local registry), next to the sample key for the
     * image's attestations.
     */
    static Path trustFromKubewardenSettings(String settingsFile) throws Exception {
        JsonNode settings = new ObjectMapper(new YAMLFactory()).readTree(Oracles.require(KUBEWARDEN + "/" + settingsFile).toFile());
        JsonNode signature = settings.at("/signatures/0");
        String image = signature.get("image").asText().replace("ghcr.io/", REGISTRY.host() + "/");
        ImageReference reference = ImageReference.parse(image);
        JsonNode keyless = signature.at("/keyless/0");
        Path file = fixture.trustDir().resolve(settingsFile.replace(".yaml", ".trust.yaml"));
        Files.writeString(file, """
                version: 1
                policies:
                  - name: sample-evidence
                    images: ["**"]
                    authorities:
                      - name: sample-publisher
                        key: {file: %s}
                        tlog: none
                  - name: kubewarden-keyless
                    images: ["%s"]
                    authorities:
                      - name: keyless
                        keyless:
                          issuer: "%s"
                          subject: "%s"
                          sct: required
                        trustedRoot: trusted_root.json
                        tlog: required
                """.formatted(SampleTrust.PUBLIC_KEY, reference.repositoryName(), keyless.get("issuer").asText(),
                keyless.get("subject").asText()), StandardCharsets.UTF_8);
        return file;
    }

    private static AdmissionHandler keylessHandler(String settingsFile) throws Exception {
        Path trust = trustFromKubewardenSettings(settingsFile);
        return new AdmissionHandler(AdmissionFixture.patientDefaults(), fixture.pipeline(PolicyBundle.hardened(), trust), fixture.repositories(),
                new InMemoryVerdictCache(AdmissionFixture.clock()), FastPath.NONE, Digest.sha256(Files.readAllBytes(trust)),
                AdmissionFixture.clock());
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
    void keylessSignatureFromTheNamedIdentityIsAllowedAndPinned() throws Exception {
        try (AdmissionHandler keyless = keylessHandler("settings-keyless-signing.yaml")) {
            byte[] request = request("pod_creation_signed_with_keyless_mode.json");
            JsonNode json = keyless.mutate(request).response().toJson();
            assertThat(json.at("/response/allowed").asBoolean()).as(json.toString()).isTrue();
            JsonNode patched = AdmissionReviews.applyPatch(UntrustedJson.parse(request, "request").get("object"),
                    json.at("/response/patch").asText());
            assertThat(patched.at("/spec/containers/0/image").asText()).isEqualTo(REGISTRY.host() + "/" + KEYLESS_REPOSITORY
                    + ":v0.2.1@" + fixture.digestOf(KEYLESS_REPOSITORY, "v0.2.1"));
        }
    }

    @Test
    void keylessSignatureFromAnotherSubjectIsDenied() throws Exception {
        try (AdmissionHandler keyless = keylessHandler("settings-keyless-signing-wrong-subject.yaml")) {
            JsonNode json = keyless.mutate(request("pod_creation_signed_with_keyless_mode.json")).response().toJson();
            assertThat(json.at("/response/allowed").asBoolean()).isFalse();
            assertThat(json.at("/response/status/message").asText()).contains("GH-SIGNED");
            assertThat(json.at("/response/patch").isMissingNode()).isTrue();
        }
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
