package dev.gatehouse.vsa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.TestImages;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against the real distribution registry, which has no referrers API (the tag index fallback is used). */
class VsaPublisherTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    private static final LocalKeySigner SIGNER = LocalKeySigner.generate("gatehouse-vsa-test");
    private static final Digest TRUST = Digest.sha256("trust config".getBytes(StandardCharsets.UTF_8));

    private static VsaEmitter emitter() {
        return new VsaEmitter(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()), new VsaPublisher(SIGNER),
                new VsaEmitter.Settings(VsaFixtures.VERIFIER, Map.of("gatehouse", "test"), TRUST,
                        revision -> new VerificationSummary.ResourceDescriptor("s3://bundles/" + revision + ".tar.gz",
                                Map.of("sha256", "ef".repeat(32)))));
    }

    private static VerifiedImage verified(String repository, Digest digest, Decision decision, int level) {
        ObjectNode input = UntrustedJson.mapper().createObjectNode();
        input.putObject("provenance").put("level", level);
        VerificationReport report = new VerificationReport(repository + "@" + digest, digest.toString(), "linux/amd64", decision,
                List.of(new VerificationReport.EvidenceRecord("provenance", "cosign-tag", "sha256:" + "12".repeat(32),
                                "https://slsa.dev/provenance/v1", VerificationReport.Status.VERIFIED, ""),
                        new VerificationReport.EvidenceRecord("sbom", "referrer", "sha256:" + "34".repeat(32), null,
                                VerificationReport.Status.REJECTED, "bad signature")),
                List.of(), input, new VerificationReport.Timings(1, 1, 1, 3));
        return new VerifiedImage(REGISTRY.host(), repository, digest, "v1", "push", "rev-9", report, Instant.parse("2026-11-27T01:02:03Z"));
    }

    @Test
    void summaryIsAttachedAsReferrerAndCosignAttestationAndANewVerdictReplacesTheVerifiersEarlierOne() throws Exception {
        OciRepository repo = REGISTRY.repository("gatehouse/vsa-publish");
        TestImages.TestImage image = TestImages.image();
        image.pushTo(repo, "v1");
        Digest digest = image.manifest().digest();
        VsaEmitter emitter = emitter();
        Decision deny = Decision.of(List.of(new Violation("gatehouse.sbom", "high", "no SBOM", "")), List.of(), "rev-9");

        emitter.onVerified(verified("gatehouse/vsa-publish", digest, deny, 3));
        emitter.onVerified(verified("gatehouse/vsa-publish", digest, Decision.of(List.of(), List.of(), "rev-9"), 3));

        List<Descriptor> referrers = repo.referrers(digest, MediaTypes.DSSE_ENVELOPE);
        assertThat(referrers).hasSize(2);
        ImageManifest referrer = passedReferrer(repo, referrers);
        byte[] envelope = repo.blob(referrer.layers().get(0).digest(), 1 << 20);
        VsaVerifier.VerifiedSummary fromReferrer = VsaVerifier.verify(envelope, SIGNER.publicKey(), SIGNER.keyId(),
                new VsaVerifier.Expectations(List.of(digest.toString()), VsaFixtures.VERIFIER,
                        VsaEmitter.resourceUri(REGISTRY.host(), "gatehouse/vsa-publish"), List.of("SLSA_BUILD_LEVEL_3")));
        VerificationSummary summary = fromReferrer.summary();
        assertThat(summary.policy().uri()).isEqualTo("s3://bundles/rev-9.tar.gz");
        assertThat(summary.policy().revision()).isEqualTo("rev-9");
        assertThat(summary.policy().trustConfiguration()).isEqualTo(TRUST.toString());
        assertThat(summary.inputAttestations()).extracting(VerificationSummary.ResourceDescriptor::digest)
                .containsExactly(Map.of("sha256", "12".repeat(32)));
        assertThat(summary.timeVerified()).isEqualTo(Instant.parse("2026-11-27T01:02:03Z"));

        ImageManifest att = (ImageManifest) repo.manifest(repo.cosignArtifact(digest, CosignTag.ATTESTATION).orElseThrow());
        assertThat(att.layers()).hasSize(1);
        assertThat(att.layers().get(0).annotation("predicateType")).isEqualTo(VerificationSummary.PREDICATE_TYPE);
        VsaVerifier.verifySignature(repo.blob(att.layers().get(0).digest(), 1 << 20), SIGNER.publicKey(), SIGNER.keyId());
    }

    /** The referrer holding the PASSED summary (referrer order is the registry's). */
    private static ImageManifest passedReferrer(OciRepository repo, List<Descriptor> referrers) throws Exception {
        for (Descriptor d : referrers) {
            ImageManifest m = (ImageManifest) repo.manifest(d);
            byte[] envelope = repo.blob(m.layers().get(0).digest(), 1 << 20);
            if (VsaVerifier.verifySignature(envelope, SIGNER.publicKey(), SIGNER.keyId()).summary().result()
                    == VerificationSummary.Result.PASSED) {
                return m;
            }
        }
        throw new AssertionError("no PASSED summary among " + referrers);
    }

    @Test
    void theSameVerdictAgainAndAttachmentsThemselvesGetNoNewSummary() throws Exception {
        OciRepository repo = REGISTRY.repository("gatehouse/vsa-repeat");
        TestImages.TestImage image = TestImages.image();
        image.pushTo(repo, "v1");
        Digest digest = image.manifest().digest();
        VsaEmitter emitter = emitter();
        Decision allow = Decision.of(List.of(), List.of(), "rev-9");

        emitter.onVerified(verified("gatehouse/vsa-repeat", digest, allow, 2));
        emitter.onVerified(verified("gatehouse/vsa-repeat", digest, allow, 2));
        List<Descriptor> referrers = repo.referrers(digest, MediaTypes.DSSE_ENVELOPE);
        assertThat(referrers).hasSize(1);

        emitter.onVerified(verified("gatehouse/vsa-repeat", referrers.get(0).digest(), allow, 0));
        assertThat(repo.referrers(referrers.get(0).digest(), null)).isEmpty();
    }

    @Test
    void deniedImageGetsAFailedSummary() {
        Digest digest = Digest.sha256("denied".getBytes(StandardCharsets.UTF_8));
        Decision deny = Decision.of(List.of(new Violation("gatehouse.base", "high", "unapproved base", "")), List.of(), "rev-9");
        VerificationSummary summary = emitter().summarise(verified("acme/app", digest, deny, 2));
        assertThat(summary.result()).isEqualTo(VerificationSummary.Result.FAILED);
        assertThat(summary.verifiedLevels()).containsExactly("SLSA_BUILD_LEVEL_2");
        assertThat(summary.subjects().get(0).digest()).containsEntry("sha256", digest.hex());
    }
}
