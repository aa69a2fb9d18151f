package dev.gatehouse.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.helm.HelmChart;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.ports.local.InMemoryVerdictCache;
import dev.gatehouse.rego.archive.BoundedTarGz;
import dev.gatehouse.sample.SampleDefect;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sample.SampleTrust;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.signing.CosignAttacher;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.vex.VexPolicy;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Helm charts stored as OCI artifacts in the real registry: the chart passes only if every image it deploys does. */
class HelmChartVerificationTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    static Path dir;

    static ExecutorService executor;
    static LocalKeySigner signer;
    static VerificationPipeline pipeline;
    static Digest compliant;

    @BeforeAll
    static void setUp() throws Exception {
        executor = Executors.newFixedThreadPool(8);
        signer = LocalKeySigner.generate("sample-publisher");
        SampleTrust.write(dir.resolve("trust"), signer);
        pipeline = new VerificationPipeline(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()),
                TrustConfig.read(dir.resolve("trust").resolve(SampleTrust.TRUST_CONFIG)),
                TrustedBuilders.parse(Files.readAllBytes(dir.resolve("trust").resolve(SampleTrust.TRUSTED_BUILDERS))),
                PolicyBundle.hardened(), VexPolicy.defaults(), Clock.fixed(NOW, ZoneOffset.UTC), executor, s -> { });
        SampleImages samples = new SampleImages(REGISTRY.repository("samples/app"), signer, NOW);
        compliant = samples.build("registry.gatehouse.test/samples/app", "compliant", Set.of()).image().digest();
        samples.build("registry.gatehouse.test/samples/app", "root", EnumSet.of(SampleDefect.ROOT_USER));
    }

    @AfterAll
    static void tearDown() {
        executor.shutdownNow();
    }

    /** Pushes a chart whose values name {@code tags} of samples/app, optionally signed. */
    static Descriptor pushChart(String tag, List<String> tags, boolean signed) throws Exception {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < tags.size(); i++) {
            values.append("component").append(i).append(":\n  image:\n    registry: ").append(REGISTRY.host())
                    .append("\n    repository: samples/app\n    tag: ").append(tags.get(i)).append('\n');
        }
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("app/Chart.yaml", ("apiVersion: v2\nname: app\nversion: 1.0.0\ndescription: " + tag + "\n").getBytes(StandardCharsets.UTF_8));
        files.put("app/values.yaml", values.toString().getBytes(StandardCharsets.UTF_8));
        OciRepository charts = REGISTRY.repository("charts/app");
        Descriptor config = charts.putBlob("{\"apiVersion\":\"v2\",\"name\":\"app\",\"version\":\"1.0.0\"}"
                .getBytes(StandardCharsets.UTF_8), HelmChart.CONFIG_MEDIA_TYPE);
        Descriptor content = charts.putBlob(BoundedTarGz.write(files), HelmChart.CONTENT_MEDIA_TYPE);
        Descriptor chart = charts.putManifest(ImageManifest.build(null, config, List.of(content), null, Map.of()), tag);
        if (signed) {
            new CosignAttacher(charts).attachSignature(chart.digest(), "registry.gatehouse.test/charts/app", signer);
        }
        return chart;
    }

    static VerificationReport verify(String tag) throws Exception {
        return pipeline.verify(VerificationRequest.of(ImageReference.parse(REGISTRY.host() + "/charts/app:" + tag), "cli"));
    }

    @Test
    void aSignedChartWhoseImagesPassIsAllowedAndListsEachImageByDigest() throws Exception {
        pushChart("good", List.of("compliant"), true);
        VerificationReport report = verify("good");

        assertThat(report.decision().denials()).as(report.decision().toString()).isEmpty();
        assertThat(report.decision().outcome()).isNotEqualTo(Decision.Outcome.DENY);
        JsonNode helm = report.input().get("helm");
        assertThat(helm.at("/chart/name").asText()).isEqualTo("app");
        assertThat(helm.at("/images/0/reference").asText()).isEqualTo(REGISTRY.host() + "/samples/app:compliant");
        assertThat(helm.at("/images/0/digest").asText()).startsWith("sha256:");
        assertThat(helm.at("/images/0/allow").asBoolean()).isTrue();
        assertThat(PolicyInputTest.schema().validate(report.input())).as(report.input().toPrettyString()).isEmpty();
    }

    @Test
    void aChartReferencingAFailingImageIsDeniedNamingTheImageAndItsReason() throws Exception {
        pushChart("mixed", List.of("compliant", "root"), true);
        VerificationReport report = verify("mixed");

        assertThat(report.decision().denials()).extracting(Violation::policy).containsOnly("GH-HELM-IMAGES");
        assertThat(report.decision().denials().get(0).message()).contains("samples/app:root").contains("GH-NONROOT");
    }

    @Test
    void anImageThatCannotBeResolvedFailsTheChart() throws Exception {
        pushChart("missing", List.of("no-such-tag"), true);
        VerificationReport report = verify("missing");

        assertThat(report.decision().denials()).extracting(Violation::policy).containsOnly("GH-HELM-IMAGES");
    }

    @Test
    void anUnsignedChartIsDenied() throws Exception {
        pushChart("unsigned", List.of("compliant"), false);
        VerificationReport report = verify("unsigned");

        assertThat(report.decision().denials()).extracting(Violation::policy).containsOnly("GH-SIGNED");
    }

    /** A verdict cache that records what was asked and written. */
    static final class RecordingVerdictCache implements VerdictCache {
        final VerdictCache cache = new InMemoryVerdictCache(Clock.fixed(NOW, ZoneOffset.UTC));
        final List<Key> hits = new CopyOnWriteArrayList<>();
        final List<Key> puts = new CopyOnWriteArrayList<>();

        @Override
        public Optional<Verdict> get(Key key) {
            Optional<Verdict> verdict = cache.get(key);
            verdict.ifPresent(v -> hits.add(key));
            return verdict;
        }

        @Override
        public void put(Key key, Verdict verdict, Duration ttl) {
            puts.add(key);
            cache.put(key, verdict, ttl);
        }
    }

    @Test
    void aChartImagesPassIsReusedUnderTheAdmissionVerdictKeyAndADenialIsVerifiedAgain() throws Exception {
        Digest trust = Digest.sha256(Files.readAllBytes(dir.resolve("trust").resolve(SampleTrust.TRUST_CONFIG)));
        RecordingVerdictCache cache = new RecordingVerdictCache();
        VerificationPipeline caching = pipeline.withVerdictCache(cache, trust, Duration.ofMinutes(5));
        pushChart("cached", List.of("compliant", "root"), true);
        VerificationRequest request = VerificationRequest.of(ImageReference.parse(REGISTRY.host() + "/charts/app:cached"), "push");

        VerificationReport first = caching.verify(request);
        VerdictCache.Key compliantKey = new VerdictCache.Key(REGISTRY.host() + "/samples/app", compliant,
                PolicyBundle.hardened().revision(), trust, "");
        assertThat(cache.puts).containsExactly(compliantKey);
        assertThat(cache.hits).isEmpty();

        VerificationReport second = caching.verify(request);
        assertThat(cache.hits).containsExactly(compliantKey);
        assertThat(cache.puts).containsExactly(compliantKey);
        assertThat(second.input().get("helm")).isEqualTo(first.input().get("helm"));
        assertThat(second.input().at("/helm/images/0/digest").asText()).isEqualTo(compliant.toString());
        assertThat(second.decision().denials()).extracting(Violation::policy).containsOnly("GH-HELM-IMAGES");
    }
}
