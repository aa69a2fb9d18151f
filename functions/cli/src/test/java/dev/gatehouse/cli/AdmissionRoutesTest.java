package dev.gatehouse.cli;

import static dev.gatehouse.handlers.admission.AdmissionReviews.Container.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.admission.AdmissionFixture;
import dev.gatehouse.handlers.admission.AdmissionReviews;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.sample.SampleTrust;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse serve}'s admission webhooks over HTTPS, as an API server calls them: POSTed
 * AdmissionReviews (built in code; no API server runs here) about signed sample images in the real
 * local registry, answered in Kubernetes' wire format.
 */
class AdmissionRoutesTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    static Path dir;

    static AdmissionFixture fixture;
    static ServeFixture serve;
    static HttpClient http;

    @BeforeAll
    static void startServe() throws Exception {
        fixture = AdmissionFixture.create(REGISTRY, dir.resolve("trust"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        X509Certificate certificate = selfSigned(key);
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Path cert = Files.writeString(dir.resolve("tls.crt"),
                "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Path keyFile = Files.writeString(dir.resolve("tls.key"),
                "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(key.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Path admission = Files.writeString(dir.resolve("admission.yaml"), """
                namespaces:
                  - match: ["team-*"]
                    mode: warn
                """);
        serve = ServeFixture.start("--tls-cert", cert.toString(), "--tls-key", keyFile.toString(),
                "--trust-config", fixture.trustConfigFile().toString(),
                "--trusted-builders", fixture.trustDir().resolve(SampleTrust.TRUSTED_BUILDERS).toString(),
                "--plain-http-unsafe", REGISTRY.host(), "--admission-config", admission.toString());

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("serve", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(tls).build();
    }

    @AfterAll
    static void stop() {
        if (serve != null) {
            serve.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(serve.uri() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode review(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        return UntrustedJson.parse(response.body(), "AdmissionReview");
    }

    @Test
    void validateDeniesTheUnsignedImageInKubernetesWireFormat() throws Exception {
        ObjectNode request = AdmissionReviews.pod("prod", app("web", fixture.image("compliant")), app("worker", fixture.image("unsigned")));
        assertThat(serve.uri().getScheme()).isEqualTo("https");
        JsonNode review = review(post("/validate", AdmissionReviews.bytes(request)));
        assertThat(review.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(review.get("kind").asText()).isEqualTo("AdmissionReview");
        JsonNode response = review.get("response");
        assertThat(response.get("uid").asText()).isEqualTo(request.at("/request/uid").asText());
        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.at("/status/code").asInt()).isEqualTo(403);
        assertThat(response.at("/status/message").asText()).startsWith(fixture.image("unsigned") + " (worker): GH-SIGNED");
        assertThat(response.has("patch")).isFalse();
        serve.awaitLine(line -> line.contains("\"path\":\"/validate\"") && line.contains("\"allowed\":false")
                && line.contains("\"uid\":\"" + request.at("/request/uid").asText() + "\""));
    }

    @Test
    void mutatePinsTagsWithABase64JsonPatch() throws Exception {
        ObjectNode request = AdmissionReviews.workload("apps", "Deployment", "prod", app("web", fixture.image("compliant")));
        JsonNode response = review(post("/mutate", AdmissionReviews.bytes(request))).get("response");
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.get("patchType").asText()).isEqualTo("JSONPatch");
        String patch = new String(Base64.getDecoder().decode(response.get("patch").asText()), StandardCharsets.UTF_8);
        assertThat(patch).isEqualTo("[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\""
                + fixture.image("compliant") + "@" + fixture.digest("compliant") + "\"}]");
    }

    @Test
    void theAdmissionConfigFlagSetsWarnModeForItsNamespaces() throws Exception {
        JsonNode response = review(post("/validate", AdmissionReviews.bytes(AdmissionReviews.pod("team-x",
                app("web", fixture.image("unsigned")))))).get("response");
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.at("/warnings/0").asText()).startsWith(fixture.image("unsigned") + ": would be denied: GH-SIGNED");
    }

    @Test
    void malformedReviewsAndOtherMethodsAreRefusedInOneLine() throws Exception {
        HttpResponse<String> malformed = post("/validate", "{\"kind\":\"AdmissionReview\",".getBytes(StandardCharsets.UTF_8));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(UntrustedJson.parse(malformed.body(), "error").get("error").asText()).startsWith("AdmissionReview at line 1");
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(serve.uri() + "/mutate")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void withAnAdmissionSecretOnlyCallersPresentingItAreAnswered() throws Exception {
        String secret = "admission-secret-" + UUID.randomUUID();
        Path secretFile = Files.writeString(dir.resolve("admission-secret"), secret + "\n");
        byte[] review = AdmissionReviews.bytes(AdmissionReviews.pod("prod", app("web", fixture.image("compliant"))));
        HttpClient plain = HttpClient.newHttpClient();
        try (ServeFixture guarded = ServeFixture.start("--admission-secret-file", secretFile.toString(),
                "--trust-config", fixture.trustConfigFile().toString(),
                "--trusted-builders", fixture.trustDir().resolve(SampleTrust.TRUSTED_BUILDERS).toString(),
                "--plain-http-unsafe", REGISTRY.host())) {
            java.util.function.BiFunction<String, String, HttpResponse<String>> call = (path, authorization) -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(guarded.uri() + path))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(review));
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                try {
                    return plain.send(request.build(), HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(call.apply("/validate", null).statusCode()).isEqualTo(401);
            assertThat(call.apply("/validate", "Bearer not-" + secret).statusCode()).isEqualTo(401);
            assertThat(call.apply("/mutate/not-" + secret, null).statusCode()).isEqualTo(401);
            // Answered with a review (the verdict itself is pinned by the other tests).
            String uid = UntrustedJson.parse(review, "review").at("/request/uid").asText();
            assertThat(review(call.apply("/validate", "Bearer " + secret)).at("/response/uid").asText()).isEqualTo(uid);
            assertThat(review(call.apply("/validate/" + secret, null)).at("/response/uid").asText()).isEqualTo(uid);
            assertThat(review(call.apply("/mutate/" + secret, null)).at("/response/uid").asText()).isEqualTo(uid);
            guarded.awaitLine(line -> line.contains("\"path\":\"/mutate/****\"") && line.contains("\"status\":200"));
            assertThat(guarded.lines()).noneMatch(line -> line.contains(secret));
        }
    }

    private static X509Certificate selfSigned(KeyPair key) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=127.0.0.1");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), name, key.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }
}
