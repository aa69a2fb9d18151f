package dev.gatehouse.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.vex.VexPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** End to end over an OCI layout: sample images built, signed and attested here, the hardened bundle. */
class VerificationPipelineTest {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    static Path dir;

    static ExecutorService executor;
    static VerificationPipeline pipeline;
    static SampleImages samples;

    @BeforeAll
    static void setUp() throws Exception {
        executor = Executors.newFixedThreadPool(8);
        LocalKeySigner signer = LocalKeySigner.generate("sample-publisher");
        SampleTrust.write(dir.resolve("trust"), signer);
        samples = new SampleImages(OciLayout.openOrCreate(dir.resolve("layout")), signer, NOW);
        pipeline = new VerificationPipeline(OciRepositories.anonymous(),
                TrustConfig.read(dir.resolve("trust").resolve(SampleTrust.TRUST_CONFIG)),
                TrustedBuilders.parse(Files.readAllBytes(dir.resolve("trust").resolve(SampleTrust.TRUSTED_BUILDERS))),
                PolicyBundle.hardened(), VexPolicy.defaults(), Clock.fixed(NOW, ZoneOffset.UTC), executor, s -> { });
    }

    @AfterAll
    static void tearDown() {
        executor.shutdownNow();
    }

    private static VerificationReport verify(String tag, Set<SampleDefect> defects) throws Exception {
        samples.build("registry.gatehouse.test/samples/app", tag, defects);
        return pipeline.verify(VerificationRequest.of(ImageReference.parse("oci:" + dir.resolve("layout") + ":" + tag), "cli"));
    }

    @Test
    void compliantSampleIsAllowedWithItsCriticalCveSuppressedByVex() throws Exception {
        VerificationReport report = verify("compliant", Set.of());
        assertThat(report.decision().denials()).isEmpty();
        assertThat(report.decision().outcome()).isNotEqualTo(Decision.Outcome.DENY);
        assertThat(report.suppressions()).extracting(VerificationReport.Suppression::vulnerability)
                .containsExactly(SampleImages.VEX_SUPPRESSED_CVE);
        assertThat(report.input().at("/provenance/level").asInt()).isEqualTo(3);
        assertThat(report.input().at("/sbom/signed").asBoolean()).isTrue();
    }

    static final Map<SampleDefect, String> EXPECTED = Map.ofEntries(
            Map.entry(SampleDefect.UNSIGNED, "GH-SIGNED"),
            Map.entry(SampleDefect.WRONG_SIGNER, "GH-SIGNED"),
            Map.entry(SampleDefect.TAMPERED_ATTESTATION, "GH-PROVENANCE"),
            Map.entry(SampleDefect.UNTRUSTED_BUILDER, "GH-PROVENANCE"),
            Map.entry(SampleDefect.MISSING_SBOM, "GH-SBOM"),
            Map.entry(SampleDefect.ROOT_USER, "GH-NONROOT"),
            Map.entry(SampleDefect.SHELL_PRESENT, "GH-MINIMAL"),
            Map.entry(SampleDefect.CRITICAL_CVE_PAST_SLA, "GH-VULN-SLA"),
            Map.entry(SampleDefect.AGPL_COMPONENT, "GH-LICENSE"),
            Map.entry(SampleDefect.UNAPPROVED_BASE, "GH-BASE-IMAGE"),
            Map.entry(SampleDefect.NO_VEX, "GH-VULN-SLA"));

    @ParameterizedTest
    @EnumSource(SampleDefect.class)
    void eachDefectIsDeniedByExactlyItsPolicy(SampleDefect defect) throws Exception {
        VerificationReport report = verify(defect.name().toLowerCase(), EnumSet.of(defect));
        assertThat(report.decision().outcome()).as(defect.description()).isEqualTo(Decision.Outcome.DENY);
        assertThat(report.decision().denials()).extracting(Violation::policy).as(report.decision().toString())
                .containsOnly(EXPECTED.get(defect));
    }
}
