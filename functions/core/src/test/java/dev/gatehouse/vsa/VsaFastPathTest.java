package dev.gatehouse.vsa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.TestImages;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Violation;
import dev.gatehouse.ports.TestClock;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against the real distribution registry: VSAs attached by the emitter, read back by the fast path. */
class VsaFastPathTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    private static final LocalKeySigner GATEHOUSE = LocalKeySigner.generate("gatehouse-key");
    private static final Instant VERIFIED = Instant.parse("2026-11-27T01:00:00Z");
    private static final Digest TRUST = Digest.sha256("trust".getBytes(StandardCharsets.UTF_8));
    private static final Decision ALLOW = Decision.of(List.of(), List.of(), "rev-1");

    private final TestClock clock = new TestClock(VERIFIED.plus(Duration.ofMinutes(10)));
    private OciRepositories repositories;
    private String repositoryPath;
    private Digest image;

    @BeforeEach
    void pushImage() throws Exception {
        repositories = new OciRepositories(REGISTRY.credentials(), REGISTRY.options());
        repositoryPath = "fast/app-" + UUID.randomUUID().toString().substring(0, 8);
        OciRepository repository = REGISTRY.repository(repositoryPath);
        TestImages.TestImage pushed = TestImages.image();
        pushed.pushTo(repository, "v1");
        image = pushed.manifest().digest();
    }

    private void emit(LocalKeySigner signer, String verifier, Digest trust, Decision decision, String revision) throws Exception {
        ObjectNode input = UntrustedJson.mapper().createObjectNode();
        input.putObject("provenance").put("level", 3);
        VerificationReport report = new VerificationReport(repositoryPath, image.toString(), "linux/amd64", decision, List.of(), List.of(),
                input, new VerificationReport.Timings(1, 1, 1, 3));
        new VsaEmitter(repositories, new VsaPublisher(signer), new VsaEmitter.Settings(verifier, Map.of(), trust,
                r -> new VerificationSummary.ResourceDescriptor("embedded:hardened", Map.of())))
                .onVerified(new VerifiedImage(REGISTRY.host(), repositoryPath, image, "v1", "push", revision, report, VERIFIED));
    }

    private VsaFastPath fastPath(Duration maxAge) {
        return new VsaFastPath(repositories, new VsaFastPath.Settings(VsaFixtures.VERIFIER, GATEHOUSE.publicKey(), GATEHOUSE.keyId(), maxAge),
                clock);
    }

    private VerdictCache.Key key(String repository, String revision, Digest trust) {
        return new VerdictCache.Key(repository, image, revision, trust, "default");
    }

    private ImageReference pinned() {
        return ImageReference.parse(REGISTRY.host() + "/" + repositoryPath + "@" + image);
    }

    private String repository() {
        return REGISTRY.host() + "/" + repositoryPath;
    }

    @Test
    void aFreshPassedVsaForTheSameKeyAllowsWithItsVerificationTime() throws Exception {
        emit(GATEHOUSE, VsaFixtures.VERIFIER, TRUST, ALLOW, "rev-1");
        assertThat(fastPath(Duration.ofHours(1)).decide(pinned(), key(repository(), "rev-1", TRUST))).hasValueSatisfying(v -> {
            assertThat(v.outcome()).isEqualTo(Decision.Outcome.ALLOW);
            assertThat(v.decidedAt()).isEqualTo(VERIFIED);
        });
    }

    @Test
    void anyMismatchFallsBackToThePipeline() throws Exception {
        emit(GATEHOUSE, VsaFixtures.VERIFIER, TRUST, ALLOW, "rev-1");
        VsaFastPath fast = fastPath(Duration.ofHours(1));
        assertThat(fast.decide(pinned(), key(repository(), "rev-2", TRUST))).as("other policy revision").isEmpty();
        assertThat(fast.decide(pinned(), key(repository(), "rev-1", Digest.sha256(new byte[] {1})))).as("other trust configuration").isEmpty();
        assertThat(fast.decide(pinned(), key(REGISTRY.host() + "/fast/elsewhere", "rev-1", TRUST))).as("other repository").isEmpty();
        assertThat(fastPath(Duration.ofMinutes(5)).decide(pinned(), key(repository(), "rev-1", TRUST))).as("older than the maximum age").isEmpty();
        clock.set(VERIFIED.minus(Duration.ofHours(1)));
        assertThat(fast.decide(pinned(), key(repository(), "rev-1", TRUST))).as("from the future").isEmpty();
        VsaFastPath otherKey = new VsaFastPath(repositories, new VsaFastPath.Settings(VsaFixtures.VERIFIER,
                LocalKeySigner.generate("x").publicKey(), GATEHOUSE.keyId(), Duration.ofHours(1)), clock);
        clock.set(VERIFIED);
        assertThat(otherKey.decide(pinned(), key(repository(), "rev-1", TRUST))).as("signed by another key").isEmpty();
    }

    @Test
    void failedOrWarnedVerdictsAndOtherVerifiersNeverShortcut() throws Exception {
        VsaFastPath fast = fastPath(Duration.ofHours(1));
        assertThat(fast.decide(pinned(), key(repository(), "rev-1", TRUST))).as("no VSA").isEmpty();
        emit(GATEHOUSE, VsaFixtures.VERIFIER, TRUST, Decision.of(List.of(new Violation("p", "high", "denied", "")), List.of(), "rev-1"), "rev-1");
        assertThat(fast.decide(pinned(), key(repository(), "rev-1", TRUST))).as("FAILED").isEmpty();
        emit(GATEHOUSE, VsaFixtures.VERIFIER, TRUST, Decision.of(List.of(), List.of(new Violation("p", "low", "warned", "")), "rev-1"), "rev-1");
        assertThat(fast.decide(pinned(), key(repository(), "rev-1", TRUST))).as("PASSED with warnings").isEmpty();
        emit(GATEHOUSE, "https://someone-else.example/verifier", TRUST, ALLOW, "rev-1");
        assertThat(fast.decide(pinned(), key(repository(), "rev-1", TRUST))).as("another verifier").isEmpty();
    }
}
