package dev.gatehouse.handlers.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.TestImages;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.ports.ImageEnumerator;
import dev.gatehouse.ports.local.DirectoryBlobStore;
import dev.gatehouse.ports.local.InMemoryResultStore;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.vex.VexPolicy;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compliance scan over 200 images pushed to the real distribution registry: signed compliant
 * sample images, samples with one defect each, unsigned minimal images, one image the registry
 * serves corrupted, plus tags that alias an image, cosign attachments and a referrers fallback tag
 * that must not be scanned. The report's counts are checked against what was pushed.
 */
class ComplianceScanRegistryTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    // Unbounded: concurrent verifications each wait on evidence lookups they queue on this pool.
    static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    static final int COMPLIANT = 20;
    static final List<SampleDefect> DEFECTS = List.of(SampleDefect.ROOT_USER, SampleDefect.CRITICAL_CVE_PAST_SLA,
            SampleDefect.NO_VEX, SampleDefect.UNSIGNED);
    static final int PER_DEFECT = 4;
    static final int MINIMAL = 163;
    static final int IMAGES = COMPLIANT + DEFECTS.size() * PER_DEFECT + MINIMAL + 1;

    @TempDir
    Path dir;

    @AfterAll
    static void shutdown() {
        EXECUTOR.shutdownNow();
    }

    @Test
    void scanOfTwoHundredImagesReportsWhatWasPushed() throws Exception {
        long start = System.nanoTime();
        LocalKeySigner signer = LocalKeySigner.generate("sample-publisher");
        SampleTrust.write(dir.resolve("trust"), signer);
        String host = REGISTRY.host();

        SampleImages signed = new SampleImages(REGISTRY.repository("apps/signed"), signer, NOW);
        Descriptor first = null;
        for (int i = 0; i < COMPLIANT; i++) {
            Descriptor d = signed.build(host + "/apps/signed", "v" + i, Set.of()).image();
            first = first == null ? d : first;
        }
        REGISTRY.repository("apps/signed").tag(first.digest(), "latest");
        SampleImages defective = new SampleImages(REGISTRY.repository("apps/defects"), signer, NOW);
        for (SampleDefect defect : DEFECTS) {
            for (int i = 0; i < PER_DEFECT; i++) {
                defective.build(host + "/apps/defects", defect.name().toLowerCase().replace('_', '-') + "-" + i, EnumSet.of(defect));
            }
        }
        Descriptor referred = null;
        for (int i = 0; i < MINIMAL; i++) {
            OciRepository repository = REGISTRY.repository("plain/r" + (i % 5));
            Descriptor d = TestImages.image().pushTo(repository, "build-" + i);
            if (i == 0) {
                referred = d;
                repository.putManifest(TestImages.referrer(repository, d, "application/vnd.example.note",
                        "{}".getBytes(StandardCharsets.UTF_8), "application/json"), null);
            }
        }
        TestImages.TestImage broken = TestImages.image();
        Descriptor brokenDescriptor = broken.pushTo(REGISTRY.repository("plain/broken"), "v1");
        Files.write(REGISTRY.storedBlob(broken.manifest().config().digest()), "{\"tampered\":true}".getBytes(StandardCharsets.UTF_8));
        long pushed = System.nanoTime();

        DirectoryBlobStore blobs = new DirectoryBlobStore(dir.resolve("reports"));
        for (int i = 3; i >= 1; i--) {
            Instant earlier = NOW.minus(Duration.ofDays(i));
            ScanHistory.record(blobs, new ScanHistory.Point(ScanId.next(earlier), earlier,
                    Map.of("critical", 3 + i, "high", 2, "medium", 1, "low", 0), 12 + i, IMAGES, 170, 0));
        }
        InMemoryResultStore results = new InMemoryResultStore();
        List<VerifiedImage> heard = new CopyOnWriteArrayList<>();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        VerificationPipeline pipeline = new VerificationPipeline(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()),
                TrustConfig.read(dir.resolve("trust").resolve(SampleTrust.TRUST_CONFIG)),
                TrustedBuilders.parse(Files.readAllBytes(dir.resolve("trust").resolve(SampleTrust.TRUSTED_BUILDERS))),
                PolicyBundle.hardened(), VexPolicy.defaults(), clock, EXECUTOR, s -> { });
        ScanWorker worker = new ScanWorker(pipeline, results, blobs, List.of(heard::add, image -> {
            throw new IllegalStateException("a listener that always fails");
        }), clock, 4, s -> { });
        LocalScan scan = new LocalScan(new RegistryCatalogEnumerator(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()),
                host), worker, blobs, clock, ScanPlanner.DEFAULT_IMAGES_PER_BATCH, 3, s -> { });

        LocalScan.Result result = scan.run(ImageEnumerator.Scope.everything(1000));
        long scanned = System.nanoTime();
        System.out.printf("compliance scan: pushed %d images in %d ms, scanned them in %d ms%n", IMAGES,
                (pushed - start) / 1_000_000, (scanned - pushed) / 1_000_000);

        ScanSummary summary = result.summary();
        assertThat(result.failedBatches()).isEmpty();
        assertThat(summary.complete()).isTrue();
        assertThat(summary.plan().images()).isEqualTo(IMAGES);
        assertThat(summary.plan().batches()).isEqualTo((IMAGES + 9) / 10);
        assertThat(summary.plan().unlisted()).isEmpty();
        assertThat(summary.results()).hasSize(IMAGES);
        Map<ImageResult.Status, Integer> decisions = summary.decisions();
        assertThat(decisions.get(ImageResult.Status.ALLOW)).isEqualTo(COMPLIANT);
        assertThat(decisions.get(ImageResult.Status.DENY)).isEqualTo(DEFECTS.size() * PER_DEFECT + MINIMAL);
        assertThat(decisions.get(ImageResult.Status.ERROR)).isEqualTo(1);
        assertThat(summary.errors()).singleElement().satisfies(e -> {
            assertThat(e.digest()).isEqualTo(brokenDescriptor.digest());
            assertThat(e.error()).isNotBlank();
        });
        // "latest" aliases v0: one image with both tags.
        Digest firstDigest = first.digest();
        assertThat(summary.results()).filteredOn(r -> r.digest().equals(firstDigest)).singleElement()
                .satisfies(r -> assertThat(r.tags()).containsExactlyInAnyOrder("v0", "latest"));
        // Cosign .sig/.att tags and the referrers fallback tag are attachments, not images.
        assertThat(summary.results()).noneMatch(r -> r.tags().stream().anyMatch(AttachmentTags::isAttachment));
        Digest referredDigest = referred.digest();
        assertThat(summary.results()).filteredOn(r -> r.digest().equals(referredDigest)).hasSize(1);

        int pastSla = PER_DEFECT * 2;
        assertThat(summary.slaBreaches()).isEqualTo(pastSla);
        assertThat(summary.deniedByRule()).containsEntry(ImageResult.SLA_POLICY, pastSla)
                .containsEntry("GH-NONROOT", PER_DEFECT + MINIMAL);
        assertThat(summary.uniqueCvesBySeverity()).containsEntry("critical", 2).containsEntry("medium", 1);
        assertThat(summary.suppressedFindings()).isEqualTo(COMPLIANT + PER_DEFECT * 3);

        assertThat(heard).hasSize(IMAGES - 1).allMatch(v -> v.trigger().equals("scan"));
        assertThat(summary.listenerFailures()).isEqualTo(IMAGES - 1);
        assertThat(results.latestInRepository(host + "/apps/signed", 100)).hasSize(COMPLIANT);

        JsonNode json = UntrustedJson.parseObject(blobs.get(ScanKeys.summary(summary.scanId()), 1 << 24).orElseThrow(), "summary");
        assertThat(json.path("decisions").path("allow").asInt()).isEqualTo(COMPLIANT);
        assertThat(json.path("images_with_errors")).hasSize(1);
        assertThat(json.path("sla_breaches").path("total").asInt()).isEqualTo(pastSla);
        for (JsonNode r : json.path("results")) {
            assertThat(blobs.get(r.path("report").asText(), 1 << 24)).as(r.path("image").asText()).isPresent();
        }
        assertThat(blobs.list(ScanKeys.HISTORY, 100)).hasSize(4);

        Path html = dir.resolve("report.html");
        Files.write(html, blobs.get(ScanKeys.html(summary.scanId()), 1 << 24).orElseThrow());
        assertThat(Files.readString(html)).contains("last 4 scans");
        if (HeadlessChromium.binary().isPresent()) {
            BufferedImage png = HeadlessChromium.screenshot(html, dir, 1300, 1100);
            HeadlessChromium.assertChartsDrawn(png);
        }
    }
}
