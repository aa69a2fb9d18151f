package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.sla.PolicyInputs;
import dev.gatehouse.verify.ReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlaReportCommandTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final String OPENSSL = "pkg:deb/debian/openssl@3.0.11";

    @TempDir
    Path dir;

    @Test
    void reportsClosedFindingsFromADirectoryOfVerificationReports() throws Exception {
        // Written out of order: the command replays them by time.
        write("a/v2.json", PolicyInputs.image("127.0.0.1:5000", "gatehouse/base", digest("v2"), "latest", T0.plusSeconds(86_400)).scanned()
                .finding("CVE-2026-0002", "pkg:deb/debian/zlib1g@1.2.13", "low", List.of(), null));
        write("b/v1.json", PolicyInputs.image("127.0.0.1:5000", "gatehouse/base", digest("v1"), "latest", T0).scanned()
                .finding("CVE-2026-0001", OPENSSL, "critical", List.of("3.0.12"), null)
                .finding("CVE-2026-0002", "pkg:deb/debian/zlib1g@1.2.13", "low", List.of(), null));
        Files.writeString(dir.resolve("summary.json"), "{\"images\": 2}");

        CliRun text = CliRun.of("sla", "report", "--store", dir.toString(), "--now", "2026-11-03T10:00:00Z");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.err()).contains("skipped 1 JSON files that are not verification reports");
        assertThat(text.out()).contains("1 images, 1 open findings (0 with a fix), 0 SLA breaches")
                .contains("CVE-2026-0001 in " + OPENSSL + ": removed at 2026-11-02T10:00:00Z")
                .contains("time to fix 24h 0m (within SLA)");

        CliRun json = CliRun.of("sla", "report", "--store", dir.toString(), "--now", "2026-11-03T10:00:00Z", "--format", "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode report = UntrustedJson.parse(json.out(), "sla report");
        assertThat(report.at("/totals/closed").asInt()).isEqualTo(1);
        assertThat(report.at("/totals/mean_time_to_remediate_hours").asDouble()).isEqualTo(24.0);
        assertThat(report.at("/closed/0/id").asText()).isEqualTo("CVE-2026-0001");
        assertThat(report.at("/closed/0/closure").asText()).isEqualTo("removed");
        assertThat(report.at("/closed/0/closed_by").asText()).isEqualTo(digest("v2").toString());
        assertThat(report.at("/images/0/tag").asText()).isEqualTo("latest");
    }

    @Test
    void failOnBreachExitsOneWhileABreachIsOpen() throws Exception {
        write("app.json", PolicyInputs.image("127.0.0.1:5000", "team/app", digest("app"), "1.0", T0).scanned()
                .finding("CVE-2026-0001", OPENSSL, "high", List.of("3.0.12"), null));
        CliRun inside = CliRun.of("sla", "report", "--store", dir.toString(), "--now", "2026-11-08T10:00:00Z", "--fail-on-breach");
        assertThat(inside.exitCode()).as(inside.err()).isZero();
        CliRun past = CliRun.of("sla", "report", "--store", dir.toString(), "--now", "2026-11-09T10:00:00Z", "--fail-on-breach");
        assertThat(past.exitCode()).isEqualTo(1);
        assertThat(past.out()).contains("Open SLA breaches:").contains("CVE-2026-0001 (high) in " + OPENSSL);
    }

    @Test
    void theSlaNumbersFollowTheDataOverrides() throws Exception {
        write("app.json", PolicyInputs.image("127.0.0.1:5000", "team/app", digest("app"), "1.0", T0).scanned()
                .finding("CVE-2026-0001", OPENSSL, "low", List.of("3.0.12"), null));
        Path data = dir.resolve("kev.data");
        Files.writeString(data, "{\"gatehouse\": {\"kev\": [\"CVE-2026-0001\"]}}");
        CliRun run = CliRun.of("sla", "report", "--store", dir.toString(), "--now", "2026-11-03T10:00:00Z", "--data", data.toString(),
                "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = UntrustedJson.parse(run.out(), "sla report");
        assertThat(report.at("/totals/kev_breaches").asInt()).isEqualTo(1);
        assertThat(report.at("/breaches/0/sla_days").asInt()).isEqualTo(1);
    }

    @Test
    void aBrokenReportOrStoreIsOneLineAndExitTwo() throws Exception {
        Files.writeString(dir.resolve("broken.json"), "{\"schema\": \"" + ReportJson.SCHEMA + "\", \"input\": {\"image\": {}}}");
        CliRun broken = CliRun.of("sla", "report", "--store", dir.toString());
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.firstErrorLine()).contains("broken.json").contains("/input/image/digest");
        assertThat(broken.err().strip()).doesNotContain("\n");

        CliRun missing = CliRun.of("sla", "report", "--store", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.firstErrorLine()).contains("is not a directory");

        CliRun format = CliRun.of("sla", "report", "--store", dir.toString(), "--format", "xml");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.firstErrorLine()).contains("--format must be text or json");
    }

    private void write(String name, PolicyInputs inputs) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, UntrustedJson.mapper().writeValueAsString(ReportJson.toJson(inputs.report())));
    }

    private static Digest digest(String seed) {
        return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
    }
}
