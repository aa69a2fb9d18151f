package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.sla.LedgerListener;
import dev.gatehouse.sla.PolicyInputs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlaRoutesTest {

    @TempDir
    Path dir;

    @Test
    void serveFeedsItsLedgerFromVerificationsAndAnswersTheReport() throws Exception {
        try (ServeFixture serve = ServeFixture.start("--data-dir", dir.toString())) {
            VerificationListener ledger = serve.context().listeners().stream().filter(l -> l instanceof LedgerListener).findFirst()
                    .orElseThrow(() -> new AssertionError("serve has no SLA ledger listener"));
            Instant longAgo = Instant.parse("2026-01-01T00:00:00Z");
            ledger.onVerified(PolicyInputs.image("127.0.0.1:5000", "team/app", Digest.sha256("app".getBytes(StandardCharsets.UTF_8)),
                    "1.0", longAgo).scanned().finding("CVE-2026-0001", "pkg:deb/debian/openssl@3.0.11", "critical", List.of("3.0.12"), null)
                    .verified("push"));

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(serve.uri() + "/sla/report")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(json.statusCode()).isEqualTo(200);
            JsonNode report = UntrustedJson.parse(json.body(), "sla report");
            assertThat(report.at("/totals/breaches").asInt()).isEqualTo(1);
            assertThat(report.at("/breaches/0/id").asText()).isEqualTo("CVE-2026-0001");

            HttpResponse<String> text = http.send(HttpRequest.newBuilder(URI.create(serve.uri() + "/sla/report?format=text")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(text.body()).contains("Open SLA breaches:").contains("CVE-2026-0001 (critical)");
        }
    }
}
