package dev.gatehouse.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.ports.FindingLedger.Closure;
import dev.gatehouse.ports.FindingLedger.FindingKey;
import dev.gatehouse.ports.FindingLedger.Product;
import dev.gatehouse.sla.ImageObservation.ObservedFinding;
import dev.gatehouse.verify.ReportJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageObservationTest {

    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final Digest DIGEST = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));

    @Test
    void readsFindingsVexKevAndProductsFromThePolicyInput() throws Exception {
        SlaRules rules = SlaRules.of(PolicyBundle.hardened().withData(
                UntrustedJson.parse("{\"gatehouse\": {\"kev\": [\"CVE-2026-0002\"]}}", "test data")));
        PolicyInputs inputs = PolicyInputs.image("registry.example.com", "team/app", DIGEST, "1.0", NOW)
                .finding("CVE-2026-0001", List.of("GHSA-1"), "pkg:deb/debian/openssl@3.0.11", "HIGH", List.of("3.0.12"),
                        "2026-11-01T00:00:00Z", null)
                .finding("CVE-2026-0002", List.of(), "pkg:deb/debian/zlib1g@1.2.13", "critical", List.of(), null, "not_affected")
                .finding("CVE-2026-0003", List.of(), "pkg:deb/debian/curl@7", "low", List.of(), null, "fixed")
                .os("Debian", "12.7").runtime("node", "20.11.1")
                .label("dev.gatehouse.image.extended-support", "true");

        ImageObservation o = ImageObservation.of(inputs.verified("push"), rules);

        assertThat(o.repository()).isEqualTo("registry.example.com/team/app");
        assertThat(o.path()).isEqualTo("team/app");
        assertThat(o.tag()).isEqualTo("1.0");
        assertThat(o.verifiedAt()).isEqualTo(NOW);
        assertThat(o.scanned()).isTrue();
        assertThat(o.findings()).containsExactly(
                new ObservedFinding(new FindingKey("CVE-2026-0001", "pkg:deb/debian/openssl@3.0.11"), List.of("GHSA-1"), "high",
                        false, true, Instant.parse("2026-11-01T00:00:00Z"), null),
                new ObservedFinding(new FindingKey("CVE-2026-0002", "pkg:deb/debian/zlib1g@1.2.13"), List.of(), "critical", true,
                        false, null, Closure.VEX_NOT_AFFECTED),
                new ObservedFinding(new FindingKey("CVE-2026-0003", "pkg:deb/debian/curl@7"), List.of(), "low", false, false, null,
                        Closure.VEX_FIXED));
        assertThat(o.products()).containsExactly(new Product("debian", "12.7"), new Product("node", "20.11.1"));
        assertThat(o.extendedSupportLabel()).isTrue();
    }

    @Test
    void twoReportsOfOneFindingMergeIntoTheWorseAndEarlier() throws Exception {
        PolicyInputs inputs = PolicyInputs.image("registry.example.com", "team/app", DIGEST, null, NOW)
                .finding("CVE-2026-0001", "pkg:deb/debian/openssl@3.0.11", "medium", List.of(), null)
                .finding("CVE-2026-0001", "pkg:deb/debian/openssl@3.0.11", "critical", List.of("3.0.12"), "2026-11-02T00:00:00Z");
        ImageObservation o = ImageObservation.of(inputs.verified("scan"), SlaRules.hardened());
        assertThat(o.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo("critical");
            assertThat(f.fixAvailable()).isTrue();
            assertThat(f.fixAvailableSince()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
        });
        assertThat(o.tag()).isNull();
    }

    @Test
    void noFindingsAndNoScanAttestationIsNotAScan() throws Exception {
        PolicyInputs unscanned = PolicyInputs.image("registry.example.com", "team/app", DIGEST, "1.0", NOW);
        assertThat(ImageObservation.of(unscanned.verified("push"), SlaRules.hardened()).scanned()).isFalse();
        PolicyInputs clean = PolicyInputs.image("registry.example.com", "team/app", DIGEST, "1.0", NOW).scanned();
        assertThat(ImageObservation.of(clean.verified("push"), SlaRules.hardened()).scanned()).isTrue();
    }

    @Test
    void readsAStoredVerificationReport() throws Exception {
        PolicyInputs inputs = PolicyInputs.image("127.0.0.1:5000", "base", DIGEST, "v2", NOW).scanned();
        ImageObservation o = ImageObservation.fromReport(ReportJson.toJson(inputs.report()), SlaRules.hardened());
        assertThat(o.repository()).isEqualTo("127.0.0.1:5000/base");
        assertThat(o.tag()).isEqualTo("v2");
        assertThat(o.verifiedAt()).isEqualTo(NOW);
    }

    @Test
    void aBrokenFindingIsRefusedNamingThePlace() {
        PolicyInputs inputs = PolicyInputs.image("registry.example.com", "team/app", DIGEST, "1.0", NOW)
                .finding("CVE-2026-0001", "pkg:deb/debian/openssl@3.0.11", "high", List.of("3.0.12"), "last tuesday");
        assertThatThrownBy(() -> ImageObservation.of(inputs.verified("push"), SlaRules.hardened()))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("/vulnerabilities/findings/0/fix_available_since");
        ObjectNode report = UntrustedJson.mapper().createObjectNode();
        report.putObject("input").putObject("image").put("digest", "sha256:nothex");
        assertThatThrownBy(() -> ImageObservation.fromReport(report, SlaRules.hardened()))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("/input/image/digest");
    }
}
