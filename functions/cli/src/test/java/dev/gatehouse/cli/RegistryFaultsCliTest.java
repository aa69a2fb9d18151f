package dev.gatehouse.cli;

import static dev.gatehouse.handlers.admission.AdmissionReviews.Container.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.handlers.admission.AdmissionFixture;
import dev.gatehouse.handlers.admission.AdmissionReviews;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.testing.FaultProxy;
import dev.gatehouse.oci.testing.FaultProxy.Fault;
import dev.gatehouse.oci.testing.LocalRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
 * What users see when the registry misbehaves, with the real registry behind the fault-injecting
 * proxy: {@code gatehouse verify} exits 1 (deny) or 2 (error), never 0, with one line on stderr;
 * {@code gatehouse serve}'s admission webhook answers a stalled registry at its deadline (set below
 * the webhook timeout) with a denial that says so, and a failing one with a denial naming the image.
 * Retry bounds of admission are pinned in core (AdmissionRegistryFaultsTest).
 */
@Timeout(300)
class RegistryFaultsCliTest {

    private static final long HUNDRED_MB = 100_000_000L;

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    static Path dir;

    static AdmissionFixture fixture;
    static FaultProxy proxy;
    static ServeFixture serve;
    static HttpClient http;
    static int faultFreeVerifyRequests;

    @BeforeAll
    static void start() throws Exception {
        fixture = AdmissionFixture.create(REGISTRY, dir.resolve("trust"));
        proxy = FaultProxy.of(REGISTRY.host());
        assertThat(verify().exitCode()).isZero();
        faultFreeVerifyRequests = proxy.requests();
        // The registry read timeout (a minute) is far beyond the deadline: only the deadline can end a stalled wait.
        Path admission = Files.writeString(dir.resolve("admission.yaml"), "deadline: 2s\n");
        serve = ServeFixture.start(CliArgs.of(CliArgs.sampleTrust(fixture.trustDir()),
                "--plain-http-unsafe", proxy.host(), "--registry-timeout", "60", "--admission-config", admission.toString()));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        proxy.heal();
    }

    @AfterEach
    void heal() {
        proxy.heal();
    }

    @AfterAll
    static void stop() {
        if (serve != null) {
            serve.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String image() {
        return proxy.host() + "/" + AdmissionFixture.REPOSITORY + ":compliant";
    }

    private static CliRun verify() {
        return CliRun.of(CliArgs.of("verify", image(), CliArgs.sampleTrust(fixture.trustDir()),
                "--plain-http-unsafe", proxy.host(), "--registry-timeout", "2"));
    }

    private static JsonNode validate() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(serve.uri() + "/validate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(AdmissionReviews.bytes(AdmissionReviews.pod("prod", app("a", image())))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return UntrustedJson.parse(answer.body(), "AdmissionReview").get("response");
    }

    /** A few of each kind; RegistryFaultsVerificationTest runs the whole matrix on the pipeline. */
    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("reset on manifests", new Fault.Reset(), FaultProxy.manifests()),
                Arguments.of("500 on everything", new Fault.ServerError(), FaultProxy.everything()),
                Arguments.of("truncated blobs", new Fault.Truncated(), FaultProxy.blobs()),
                Arguments.of("wrong Docker-Content-Digest on manifests", new Fault.WrongDigest(), FaultProxy.manifests()),
                Arguments.of("100 MB manifests", new Fault.Oversized(HUNDRED_MB), FaultProxy.manifests()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void verifyEndsInDenyOrErrorNeverAllow(String name, Fault fault, Predicate<String> where) {
        proxy.inject(fault, where, -1);
        CliRun run = verify();
        assertThat(run.exitCode()).as(run.err()).isIn(1, 2);
        if (run.exitCode() == 2) {
            // A progress line may come first (the run takes over a second); the error is one line, no stack trace.
            assertThat(run.err().strip().lines().reduce((first, second) -> second).orElseThrow()).startsWith("gatehouse verify: ");
            assertThat(run.err().lines()).noneMatch(line -> line.strip().startsWith("at "));
        }
        assertThat(proxy.faulted()).isPositive();
        // The client's default retries: at most 4 tries of each request.
        assertThat(proxy.requests()).isLessThanOrEqualTo(4 * faultFreeVerifyRequests);
    }

    @Test
    void admissionAnswersAStalledRegistryAtItsDeadlineWithADenial() throws Exception {
        proxy.inject(new Fault.Stall(), FaultProxy.everything(), -1);
        // Answered before the proxy is healed (@AfterEach): the registry has answered nothing.
        JsonNode response = validate();
        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.at("/status/message").asText()).isEqualTo(image() + " (a): not verified: not decided within the 2s "
                + "admission deadline (verification continues; a retry may be answered from the cache)");
        assertThat(serve.awaitLine(line -> line.contains("\"path\":\"/validate\"") && line.contains("\"allowed\":false")))
                .contains("\"status\":200");
    }

    @Test
    void admissionDeniesWhenTheRegistryFails() throws Exception {
        proxy.inject(new Fault.ServerError(), FaultProxy.everything(), -1);
        JsonNode response = validate();
        assertThat(response.get("allowed").asBoolean()).isFalse();
        // The tag cannot be resolved; with the retries' back-off on a loaded machine this may also end at the deadline.
        assertThat(response.at("/status/message").asText()).startsWith(image() + " (a): not verified: ").doesNotContain("\n");
    }
}
