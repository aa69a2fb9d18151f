package dev.gatehouse.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.io.Printable;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.verify.VerificationPipeline;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Loads and compiles the policy bundle and evaluates it once on a built-in sample input when a
 * function that verifies images starts. Quarkus starts the application in Lambda's INIT phase,
 * and SnapStart ({@code SnapStart: ApplyOn: PublishedVersions} in template.yaml, {@code snap_start}
 * in terraform) snapshots the JVM after INIT, so every restored instance starts with the bundle
 * compiled and the evaluator's classes loaded and its code warmed: otherwise the first request of
 * each instance pays seconds of parsing, compiling and JIT. A priming that fails is logged and
 * costs only the warm-up: the first request reports the same problem as it always did.
 */
@ApplicationScoped
public class PolicyPriming {

    /** The functions whose requests run the verification pipeline. */
    static final Set<String> VERIFYING_FUNCTIONS = Set.of("registry-push", "admission", "compliance-scan-worker");
    /** Evaluations run before the snapshot: enough for the JIT to compile the evaluator's hot paths. */
    static final int EVALUATIONS = 20;

    @Inject
    @ConfigProperty(name = "quarkus.funqy.export")
    Optional<String> export;

    @Inject
    Instance<VerificationPipeline> pipeline;

    @Inject
    JsonLog log;

    private volatile Primed primed;

    /** What start-up priming did: the bundle revision, the sample's outcome, how many evaluations and how long. */
    public record Primed(String revision, Decision.Outcome outcome, int evaluations, long millis) {}

    /** Empty when this function does not verify images or priming failed. */
    public Optional<Primed> primed() {
        return Optional.ofNullable(primed);
    }

    void onStart(@Observes StartupEvent event) {
        String function = export.orElse("");
        if (!VERIFYING_FUNCTIONS.contains(function)) {
            return;
        }
        long start = System.nanoTime();
        try {
            JsonNode input = sampleInput();
            VerificationPipeline verification = pipeline.get();
            Decision decision = null;
            for (int i = 0; i < EVALUATIONS; i++) {
                decision = verification.policy().evaluate(input, line -> { });
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            primed = new Primed(verification.policy().revision(), decision.outcome(), EVALUATIONS, millis);
            log.info("policy primed", Map.of("policy_revision", verification.policy().revision(), "evaluations", EVALUATIONS,
                    "millis", millis, "sample_outcome", decision.outcome().name()));
        } catch (Exception e) {
            log.warn("policy priming failed; the first request compiles the bundle", Map.of("error",
                    Printable.oneLine(e.toString(), Printable.QUOTED_ERROR_CHARS)));
        }
    }

    static JsonNode sampleInput() {
        try (InputStream in = PolicyPriming.class.getResourceAsStream("priming-input.json")) {
            if (in == null) {
                throw new IllegalStateException("priming-input.json is missing from the function jar");
            }
            return UntrustedJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
