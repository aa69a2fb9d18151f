package dev.gatehouse.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.handlers.admission.AdmissionFixture;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.testing.FaultProxy;
import dev.gatehouse.oci.testing.FaultProxy.Fault;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.PolicyBundle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real registry behind a fault-injecting proxy: whatever the registry path does wrong (delays,
 * resets, 429, 500, truncated or altered bodies), verifying a compliant, signed image ends in an
 * error or a deny, never an allow; transient faults are retried a bounded number of times.
 */
@Timeout(120)
class RegistryFaultsVerificationTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    static Path dir;

    static AdmissionFixture fixture;
    static FaultProxy proxy;
    static final long HUNDRED_MB = 100_000_000L;
    /** Above the largest blob limit (64 MiB for attested documents) plus what loopback socket buffers hold. */
    static final long OVERSIZED_BLOB = 2 * HUNDRED_MB;
    static int faultFreeRequests;
    static List<String> faultFreeBlobs;
    static String lastError;
    static Object lastEvidence;
    static Object faultFreeEvidence;

    /** What a verdict came to: allowed, denied, or an error (nothing decided). */
    enum Verdict { ALLOW, DENY, ERROR }

    @BeforeAll
    static void start() throws Exception {
        fixture = AdmissionFixture.create(REGISTRY, dir);
        proxy = FaultProxy.of(REGISTRY.host());
        assertThat(verify()).isEqualTo(Verdict.ALLOW);
        faultFreeRequests = proxy.requests();
        faultFreeBlobs = proxy.paths().stream().filter(p -> p.startsWith("GET ") && p.contains("/blobs/"))
                .map(p -> p.substring(4)).distinct().toList();
        faultFreeEvidence = lastEvidence;
    }

    @AfterEach
    void heal() {
        proxy.heal();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A new pipeline (and registry client) each time, so no cache of verified manifests hides the fault. */
    private static Verdict verify() {
        try {
            VerificationPipeline pipeline = fixture.pipeline(PolicyBundle.hardened(), fixture.trustConfigFile(),
                    AdmissionFixture.throughFaultProxy(proxy, Duration.ofSeconds(2)));
            ImageReference reference = ImageReference.parse(proxy.host() + "/" + AdmissionFixture.REPOSITORY + ":compliant");
            VerificationReport report = pipeline.verify(VerificationRequest.of(reference, "test"));
            lastEvidence = report.evidence();
            lastError = null;
            return report.decision().allowed() ? Verdict.ALLOW : Verdict.DENY;
        } catch (VerificationException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            lastError = e.getMessage();
            return Verdict.ERROR;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Stream<Arguments> permanentFaults() {
        Predicate<String> manifests = FaultProxy.manifests();
        Predicate<String> blobs = FaultProxy.blobs();
        return Stream.of(
                Arguments.of("reset on manifests", new Fault.Reset(), manifests),
                Arguments.of("reset on blobs", new Fault.Reset(), blobs),
                Arguments.of("429 on manifests", new Fault.TooManyRequests(0), manifests),
                Arguments.of("500 on blobs", new Fault.ServerError(), blobs),
                Arguments.of("truncated manifests", new Fault.Truncated(), manifests),
                Arguments.of("truncated blobs", new Fault.Truncated(), blobs),
                Arguments.of("altered manifests", new Fault.Altered(), manifests),
                Arguments.of("altered blobs (signatures, attestations, config)", new Fault.Altered(), blobs),
                Arguments.of("delay beyond the read timeout", new Fault.Delay(Duration.ofSeconds(3)), manifests),
                Arguments.of("wrong Docker-Content-Digest on manifests", new Fault.WrongDigest(), manifests),
                Arguments.of("100 MB manifests", new Fault.Oversized(HUNDRED_MB), manifests),
                Arguments.of("200 MB blobs", new Fault.Oversized(OVERSIZED_BLOB), blobs));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("permanentFaults")
    void persistentFaultsEndInAnErrorOrDenyNeverAllow(String name, Fault fault, Predicate<String> where) {
        proxy.inject(fault, where, -1);
        assertThat(verify()).isNotEqualTo(Verdict.ALLOW);
        assertThat(proxy.faulted()).isPositive();
        // Every request is tried at most 1 + 2 retries times.
        assertThat(proxy.requests()).isLessThanOrEqualTo(3 * faultFreeRequests);
    }

    @Test
    void anOversizedConfigSignatureOrAttestationIsAnErrorOrDenyNeverAllow() {
        // Each blob the verification reads (config, signature payloads, attestations with the SBOM), one at a time.
        assertThat(faultFreeBlobs).hasSizeGreaterThan(2);
        for (String blob : faultFreeBlobs) {
            proxy.heal().inject(new Fault.Oversized(OVERSIZED_BLOB), blob::equals, -1);
            assertThat(verify()).as(blob).isNotEqualTo(Verdict.ALLOW);
            assertThat(proxy.faulted()).as(blob).isPositive();
            assertThat(proxy.streamedBytes()).as("the client hangs up at its limit").isLessThan(OVERSIZED_BLOB);
        }
    }

    @Test
    void oneAlteredBlobIsNeverTakenForTheOriginal() {
        // An image may still be allowed when the altered copy was refused and an intact read of the same digest
        // was used; then the evidence is exactly what the fault-free verification saw.
        for (int skip = 0; skip < 8; skip++) {
            proxy.heal().inject(new Fault.Altered(), FaultProxy.blobs().and(new SkipFirst(skip)), 1);
            Verdict verdict = verify();
            if (verdict == Verdict.ALLOW) {
                assertThat(lastEvidence).as(() -> "altered " + proxy.faultedPaths()).isEqualTo(faultFreeEvidence);
            }
        }
    }

    /** Selects blob requests after the first {@code skip}, to move the alteration along the verification. */
    private static final class SkipFirst implements Predicate<String> {
        private final java.util.concurrent.atomic.AtomicInteger left;

        SkipFirst(int skip) {
            left = new java.util.concurrent.atomic.AtomicInteger(skip);
        }

        @Override
        public boolean test(String path) {
            return left.getAndDecrement() <= 0;
        }
    }

    @Test
    void transient429And500AreRetriedAndTheVerdictStands() {
        proxy.inject(new Fault.TooManyRequests(1), FaultProxy.manifests(), 1);
        assertThat(verify()).as(() -> "after a 429: " + lastError).isEqualTo(Verdict.ALLOW);
        assertThat(proxy.faulted()).isEqualTo(1);
        proxy.heal().inject(new Fault.ServerError(), FaultProxy.everything(), 2);
        assertThat(verify()).as(() -> "after two 500s: " + lastError).isEqualTo(Verdict.ALLOW);
        assertThat(proxy.faulted()).isEqualTo(2);
    }

    @Test
    void shortDelaysOnlySlowTheVerdictDown() {
        proxy.inject(new Fault.Delay(Duration.ofMillis(200)), FaultProxy.everything(), -1);
        assertThat(verify()).isEqualTo(Verdict.ALLOW);
    }
}
