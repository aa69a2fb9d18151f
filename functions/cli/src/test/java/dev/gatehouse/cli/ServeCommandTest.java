package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthzNamesTheEmbeddedPolicyRevisionAndTheRequestIsLoggedAsJson() throws Exception {
        try (ServeFixture serve = ServeFixture.start("--data-dir", dir.toString())) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(serve.uri() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"status\":\"ok\"").contains("\"policy_revision\"");
            assertThat(serve.lines()).anySatisfy(line -> assertThat(line).contains("\"message\":\"listening\""));
            serve.awaitLine(line -> line.contains("\"path\":\"/healthz\"") && line.contains("\"request_id\""));
        }
    }

    @Test
    void servesHttpsWithAPemCertificateAndPkcs8Key() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        X509Certificate certificate = selfSigned(key);
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Path cert = Files.writeString(dir.resolve("tls.crt"),
                "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Path keyFile = Files.writeString(dir.resolve("tls.key"),
                "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(key.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");

        try (ServeFixture serve = ServeFixture.start("--tls-cert", cert.toString(), "--tls-key", keyFile.toString())) {
            assertThat(serve.uri().getScheme()).isEqualTo("https");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("serve", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            HttpResponse<String> response = HttpClient.newBuilder().sslContext(tls).build().send(
                    HttpRequest.newBuilder(URI.create(serve.uri() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void refusesATlsCertificateWithoutItsKey() {
        CliRun run = CliRun.of("serve", "--port", "0", "--tls-cert", dir.resolve("tls.crt").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("--tls-cert and --tls-key go together");
    }

    @Test
    void refusesASecretFileThatHoldsNoUsableSecretNamingTheFlag() throws Exception {
        Path shortSecret = Files.writeString(dir.resolve("short-secret"), "guessable\n");
        Path notASecret = Files.write(dir.resolve("not-a-secret"), new byte[64 * 1024]);

        CliRun tooShort = CliRun.of("serve", "--port", "0", "--admission-secret-file", shortSecret.toString());
        CliRun tooLarge = CliRun.of("serve", "--port", "0", "--webhook-secret-file", notASecret.toString());

        assertThat(tooShort.exitCode()).isEqualTo(2);
        assertThat(tooShort.firstErrorLine()).contains("--admission-secret-file").contains("at least 16 characters");
        assertThat(tooLarge.exitCode()).isEqualTo(2);
        assertThat(tooLarge.firstErrorLine()).contains("--webhook-secret-file").contains("not a secret");
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
