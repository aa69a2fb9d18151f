package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.handlers.admission.AdmissionFixture;
import dev.gatehouse.handlers.scan.ScanKeys;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.signing.LocalKeySigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /scan} on gatehouse serve against the real registry (the fixture pushes a compliant, a root and an unsigned image): counts per decision and the reports in the data directory. */
class ServeScanTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    Path dir;

    @Test
    void aScanOfTheRegistryCatalogCountsEachImageOnceAndWritesItsReports() throws Exception {
        AdmissionFixture fixture = AdmissionFixture.create(REGISTRY, dir.resolve("trust"));
        HttpClient http = HttpClient.newHttpClient();
        try (ServeFixture serve = ServeFixture.start(CliArgs.of(CliArgs.sampleTrust(fixture.trustDir()),
                "--plain-http-unsafe", REGISTRY.host(), "--data-dir", dir.resolve("data").toString()))) {
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(serve.uri() + "/scan"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(missing.body()).contains("registry");
            HttpResponse<String> notAList = http.send(HttpRequest.newBuilder(URI.create(serve.uri() + "/scan"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"registry\": \"" + REGISTRY.host() + "\", \"repositories\": \"app\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(notAList.statusCode()).as("a lone name must not widen the scan to the catalog").isEqualTo(400);
            assertThat(notAList.body()).contains("repositories");

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(serve.uri() + "/scan"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"registry\": \"" + REGISTRY.host() + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode answer = UntrustedJson.parse(response.body(), "scan answer");
            assertThat(answer.path("complete").asBoolean()).isTrue();
            assertThat(answer.at("/decisions/allow").asInt()).isEqualTo(1);
            assertThat(answer.at("/decisions/deny").asInt()).as("root and unsigned").isEqualTo(2);
            assertThat(answer.path("images").asInt()).isEqualTo(3);
            assertThat(answer.at("/decisions/error").asInt()).isZero();
            assertThat(Files.walk(dir.resolve("data")).map(Path::toString).filter(p -> p.endsWith(".html"))).isNotEmpty();
        }
    }

    @Test
    void withAReportSigningKeyEveryReportIsStoredWithASignatureVerifyReportAccepts() throws Exception {
        AdmissionFixture fixture = AdmissionFixture.create(REGISTRY, dir.resolve("trust"));
        LocalKeySigner signer = LocalKeySigner.generate("gatehouse-reports");
        Path key = Files.writeString(dir.resolve("reports.key"), signer.privateKeyPem());
        Path publicKey = Files.writeString(dir.resolve("reports.pub"), signer.publicKeyPem());
        Path data = dir.resolve("data");
        try (ServeFixture serve = ServeFixture.start(CliArgs.of(CliArgs.sampleTrust(fixture.trustDir()),
                "--plain-http-unsafe", REGISTRY.host(), "--data-dir", data.toString(), "--report-signing-key", key.toString()))) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serve.uri() + "/scan"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"registry\": \"" + REGISTRY.host() + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode answer = UntrustedJson.parse(response.body(), "scan answer");

            List<Path> reports;
            try (Stream<Path> files = Files.walk(data.resolve(ScanKeys.prefix(answer.path("scan_id").asText())))) {
                reports = files.filter(Files::isRegularFile).filter(f -> ScanKeys.isReport(data.relativize(f).toString())).toList();
            }
            assertThat(reports).as("three image results, the summary and the page").hasSize(5);
            for (Path report : reports) {
                assertThat(CliRun.of("verify-report", report.toString(), "--key", publicKey.toString()).exitCode())
                        .as(report.toString()).isZero();
            }
            Path summary = data.resolve(answer.path("summary").asText());
            Files.writeString(summary, Files.readString(summary).replace("\"allow\"", "\"deny\""));
            assertThat(CliRun.of("verify-report", summary.toString(), "--key", publicKey.toString()).exitCode()).isEqualTo(1);
        }
    }
}
