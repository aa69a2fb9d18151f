package dev.gatehouse.handlers.admission;

import static dev.gatehouse.handlers.admission.AdmissionReviews.Container.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.testing.FaultProxy;
import dev.gatehouse.oci.testing.FaultProxy.Fault;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.ports.local.InMemoryVerdictCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * Admission of a compliant, signed image whose registry misbehaves: the real registry behind the
 * fault-injecting proxy. Whatever goes wrong (resets, 429, 500, truncated, altered or oversized
 * bodies, a wrong digest header, a registry that stalls), the pod is denied (fail closed) or, with
 * the loudly named failOpenUnsafe, admitted and marked as unverified; never silently allowed.
 * Registry requests stay bounded (three tries each). The deadline is pinned by behaviour, not by a
 * clock: a stalled registry answers nothing until the test heals it, after the admission answer.
 */
@Timeout(120)
class AdmissionRegistryFaultsTest {

    private static final long HUNDRED_MB = 100_000_000L;

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    static Path dir;

    static AdmissionFixture fixture;
    static FaultProxy proxy;
    static int faultFreeRequests;

    @BeforeAll
    static void start() throws Exception {
        fixture = AdmissionFixture.create(REGISTRY, dir);
        proxy = FaultProxy.of(REGISTRY.host());
        try (AdmissionHandler handler = handler("{}")) {
            assertThat(validate(handler).at("/response/allowed").asBoolean()).isTrue();
        }
        faultFreeRequests = proxy.requests();
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

    private static AdmissionHandler handler(String config) throws Exception {
        return handler(config, Duration.ofSeconds(2));
    }

    /** A new handler, pipeline and registry client each time: no verdict or manifest cache hides the fault. */
    private static AdmissionHandler handler(String config, Duration readTimeout) throws Exception {
        OciRepositories repositories = AdmissionFixture.throughFaultProxy(proxy, readTimeout);
        return new AdmissionHandler(AdmissionConfig.parse(config.getBytes(StandardCharsets.UTF_8), "test"),
                fixture.pipeline(PolicyBundle.hardened(), fixture.trustConfigFile(), repositories), repositories,
                new InMemoryVerdictCache(AdmissionFixture.clock()), FastPath.NONE, fixture.trustConfigurationDigest(),
                AdmissionFixture.clock());
    }

    private static String image() {
        return proxy.host() + "/" + AdmissionFixture.REPOSITORY + ":compliant";
    }

    private static JsonNode validate(AdmissionHandler handler) throws Exception {
        return handler.validate(AdmissionReviews.bytes(AdmissionReviews.pod("prod", app("a", image())))).response().toJson();
    }

    static Stream<Arguments> faults() {
        Predicate<String> manifests = FaultProxy.manifests();
        Predicate<String> blobs = FaultProxy.blobs();
        return Stream.of(
                Arguments.of("reset on manifests", new Fault.Reset(), manifests),
                Arguments.of("reset on blobs", new Fault.Reset(), blobs),
                Arguments.of("429 with Retry-After on manifests", new Fault.TooManyRequests(0), manifests),
                Arguments.of("500 on everything", new Fault.ServerError(), FaultProxy.everything()),
                Arguments.of("truncated manifests", new Fault.Truncated(), manifests),
                Arguments.of("truncated blobs", new Fault.Truncated(), blobs),
                Arguments.of("altered manifests", new Fault.Altered(), manifests),
                Arguments.of("altered blobs", new Fault.Altered(), blobs),
                Arguments.of("wrong Docker-Content-Digest on manifests", new Fault.WrongDigest(), manifests),
                Arguments.of("100 MB manifests", new Fault.Oversized(HUNDRED_MB), manifests),
                Arguments.of("delay beyond the read timeout", new Fault.Delay(Duration.ofSeconds(3)), manifests));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void registryFaultsDenyThePodNeverAllowIt(String name, Fault fault, Predicate<String> where) throws Exception {
        proxy.inject(fault, where, -1);
        JsonNode response;
        try (AdmissionHandler handler = handler("{}")) {
            response = validate(handler).get("response");
        }
        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.at("/status/message").asText()).startsWith(image() + " (a): ").doesNotContain("\n");
        assertThat(response.has("patch")).isFalse();
        assertThat(proxy.faulted()).isPositive();
        // Every request is tried at most 1 + 2 retries times.
        assertThat(proxy.requests()).isLessThanOrEqualTo(3 * faultFreeRequests);
    }

    @Test
    void failOpenUnsafeAdmitsAnUnverifiableImageOnlyWithAWarningAndAnAuditAnnotation() throws Exception {
        proxy.inject(new Fault.ServerError(), FaultProxy.everything(), -1);
        JsonNode response;
        try (AdmissionHandler handler = handler("failOpenUnsafe: true")) {
            response = validate(handler).get("response");
        }
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.at("/warnings/0").asText()).startsWith(image() + ": admitted without verification (failOpenUnsafe)");
        assertThat(response.at("/auditAnnotations/admitted-unverified").asText()).contains("HTTP 500");
        assertThat(proxy.requests()).isLessThanOrEqualTo(3 * faultFreeRequests);
    }

    /** The registry read timeout (a minute) is far beyond the deadline, so only the deadline can end the wait. */
    private static final Duration PATIENT = Duration.ofMinutes(1);

    @Test
    void aStalledRegistryIsAnsweredAtTheDeadlineWithADenial() throws Exception {
        proxy.inject(new Fault.Stall(), FaultProxy.everything(), -1);
        JsonNode response;
        try (AdmissionHandler handler = handler("deadline: 1s", PATIENT)) {
            // Answered before the proxy is healed (@AfterEach): the registry has answered nothing.
            response = validate(handler).get("response");
        }
        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.at("/status/message").asText()).isEqualTo(image() + " (a): not verified: not decided within the 1s "
                + "admission deadline (verification continues; a retry may be answered from the cache)");
    }

    @Test
    void withFailOpenUnsafeAStalledRegistryIsAdmittedAtTheDeadlineAndMarkedUnverified() throws Exception {
        proxy.inject(new Fault.Stall(), FaultProxy.everything(), -1);
        JsonNode response;
        try (AdmissionHandler handler = handler("{deadline: 1s, failOpenUnsafe: true}", PATIENT)) {
            response = validate(handler).get("response");
        }
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.at("/auditAnnotations/admitted-unverified").asText()).contains("admission deadline");
    }
}
