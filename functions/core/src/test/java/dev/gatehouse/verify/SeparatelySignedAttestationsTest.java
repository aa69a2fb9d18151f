package dev.gatehouse.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleImages.AttestationStyle;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.signing.CosignAttacher;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.vex.VexPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Attestations stored the way Docker Scout publishes Docker Hardened Images evidence: bare in-toto
 * statements as OCI referrers of the image, each referrer manifest signed on its own with a cosign
 * signature over its digest. Against the real distribution registry (no referrers API there, so
 * the referrers fallback tag carries them).
 */
class SeparatelySignedAttestationsTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final String NAME = "registry.gatehouse.test/dhi/app";

    @TempDir
    static Path dir;

    static ExecutorService executor;
    static LocalKeySigner signer;
    static VerificationPipeline pipeline;

    @BeforeAll
    static void setUp() throws Exception {
        executor = Executors.newFixedThreadPool(8);
        signer = LocalKeySigner.generate("dhi-publisher");
        SampleTrust.write(dir.resolve("trust"), signer);
        pipeline = new VerificationPipeline(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()),
                TrustConfig.read(dir.resolve("trust").resolve(SampleTrust.TRUST_CONFIG)),
                TrustedBuilders.parse(Files.readAllBytes(dir.resolve("trust").resolve(SampleTrust.TRUSTED_BUILDERS))),
                PolicyBundle.hardened(), VexPolicy.defaults(), Clock.fixed(NOW, ZoneOffset.UTC), executor, s -> { });
    }

    @AfterAll
    static void tearDown() {
        executor.shutdownNow();
    }

    private static OciRepository repository() {
        return REGISTRY.repository("dhi/app");
    }

    private static SampleImages.Built build(String tag, Set<SampleDefect> defects) throws Exception {
        return new SampleImages(repository(), signer, NOW, AttestationStyle.SEPARATELY_SIGNED_REFERRERS).build(NAME, tag, defects);
    }

    private static VerificationReport verify(String tag) throws Exception {
        return pipeline.verify(VerificationRequest.of(ImageReference.parse(REGISTRY.host() + "/dhi/app:" + tag), "push"));
    }

    @Test
    void statementsWhoseManifestsAreSignedCountAsVerifiedAttestations() throws Exception {
        build("compliant", Set.of());
        VerificationReport report = verify("compliant");

        assertThat(report.decision().denials()).isEmpty();
        assertThat(report.decision().outcome()).isNotEqualTo(Decision.Outcome.DENY);
        assertThat(report.input().at("/provenance/level").asInt()).isEqualTo(3);
        assertThat(report.input().at("/sbom/signed").asBoolean()).isTrue();
        assertThat(report.suppressions()).extracting(VerificationReport.Suppression::vulnerability)
                .containsExactly(SampleImages.VEX_SUPPRESSED_CVE);
        assertThat(report.evidence()).filteredOn(e -> "attestation".equals(e.kind()))
                .hasSize(4)
                .allSatisfy(e -> {
                    assertThat(e.source()).isEqualTo("referrer");
                    assertThat(e.status()).isEqualTo(VerificationReport.Status.VERIFIED);
                });
    }

    @ParameterizedTest
    @EnumSource(value = SampleDefect.class, names = {"TAMPERED_ATTESTATION", "UNTRUSTED_BUILDER", "MISSING_SBOM", "NO_VEX"})
    void defectsInSeparatelySignedEvidenceAreDeniedByTheirPolicy(SampleDefect defect) throws Exception {
        build(defect.name().toLowerCase(), EnumSet.of(defect));
        VerificationReport report = verify(defect.name().toLowerCase());

        assertThat(report.decision().denials()).extracting(Violation::policy).as(report.decision().toString())
                .containsOnly(VerificationPipelineTest.EXPECTED.get(defect));
    }

    @Test
    void aCopiedSignatureDoesNotCoverAnEditedStatement() throws Exception {
        build("tampered-detail", EnumSet.of(SampleDefect.TAMPERED_ATTESTATION));
        VerificationReport report = verify("tampered-detail");

        assertThat(report.evidence()).filteredOn(e -> e.status() == VerificationReport.Status.REJECTED)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.kind()).isEqualTo("provenance");
                    assertThat(e.detail()).contains("no valid signature over attestation manifest").contains("not sha256:");
                });
    }

    @Test
    void anUnsignedStatementIsListedButNeverTrusted() throws Exception {
        SampleImages.Built built = build("unsigned-sbom", EnumSet.of(SampleDefect.MISSING_SBOM));
        var sbom = UntrustedJson.parseObject(("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,"
                + "\"components\":[{\"type\":\"library\",\"name\":\"zlib\",\"version\":\"1.3\"}]}").getBytes(), "test SBOM");
        new CosignAttacher(repository()).attachStatementReferrer(built.image(), NAME, SampleImages.CYCLONEDX_BOM, sbom);

        VerificationReport report = verify("unsigned-sbom");

        assertThat(report.input().at("/sbom/signed").asBoolean()).isFalse();
        assertThat(report.decision().denials()).extracting(Violation::policy).containsOnly("GH-SBOM");
        assertThat(report.evidence()).filteredOn(e -> e.status() == VerificationReport.Status.UNSIGNED)
                .singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("not signed"));
    }

    @Test
    void aManifestSignedByAStrangerIsRejected() throws Exception {
        SampleImages.Built built = build("stranger", EnumSet.of(SampleDefect.MISSING_SBOM));
        var sbom = UntrustedJson.parseObject(("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,"
                + "\"components\":[]}").getBytes(), "test SBOM");
        CosignAttacher attacher = new CosignAttacher(repository());
        var statement = attacher.attachStatementReferrer(built.image(), NAME, SampleImages.CYCLONEDX_BOM, sbom);
        attacher.attachSignature(statement.digest(), NAME, LocalKeySigner.generate("stranger"));

        VerificationReport report = verify("stranger");

        assertThat(report.decision().denials()).extracting(Violation::policy).containsOnly("GH-SBOM");
        assertThat(report.evidence()).filteredOn(e -> e.status() == VerificationReport.Status.REJECTED)
                .singleElement()
                .satisfies(e -> assertThat(e.kind()).isEqualTo("sbom"));
    }
}
