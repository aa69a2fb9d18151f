package dev.gatehouse.lambda.admission;

import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.admission.AdmissionConfig;
import dev.gatehouse.handlers.admission.AdmissionHandler;
import dev.gatehouse.handlers.admission.FastPath;
import dev.gatehouse.lambda.TrustMaterial;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.verify.VerificationPipeline;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the admission handler once per Lambda instance (reused across invocations and captured
 * by SnapStart) from the shared pipeline, registries, trust material and DynamoDB verdict cache,
 * the admission configuration, and the {@link FastPath} another producer offers (the VSA fast
 * path when a signing key is configured).
 */
@ApplicationScoped
public class AdmissionProducers {

    @Produces
    @Singleton
    AdmissionHandler admissionHandler(AdmissionSettings settings, VerificationPipeline pipeline, OciRepositories repositories,
                                      VerdictCache cache, TrustMaterial trust, Instance<FastPath> fastPaths, Clock clock, JsonLog log)
            throws Exception {
        AdmissionConfig config = admissionConfig(settings);
        FastPath fastPath = fastPaths.isResolvable() ? fastPaths.get() : FastPath.NONE;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("policy_revision", pipeline.policy().revision());
        fields.put("trust_configuration", trust.digest().toString());
        fields.put("mode", config.mode().configName());
        fields.put("deadline_millis", config.deadline().toMillis());
        fields.put("fail_open_unsafe", config.failOpenUnsafe());
        log.info("admission ready", fields);
        // Chart images share the pods' verdict cache.
        return new AdmissionHandler(config, pipeline.withVerdictCache(cache, trust.digest(), config.cacheTtl()), repositories, cache,
                fastPath, trust.digest(), clock);
    }

    static AdmissionConfig admissionConfig(AdmissionSettings settings) throws Exception {
        if (settings.configFile().isPresent()) {
            return AdmissionConfig.parse(Files.readAllBytes(settings.configFile().get()), settings.configFile().get().toString());
        }
        if (settings.config().isPresent()) {
            return AdmissionConfig.parse(settings.config().get().getBytes(StandardCharsets.UTF_8), "GATEHOUSE_ADMISSION_CONFIG");
        }
        return AdmissionConfig.defaults();
    }

    void close(@Disposes AdmissionHandler handler) {
        handler.close();
    }
}
