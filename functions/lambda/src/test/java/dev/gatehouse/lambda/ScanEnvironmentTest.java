package dev.gatehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.lambda.rebuild.RebuildConfig;
import dev.gatehouse.lambda.scan.ScanConfig;
import dev.gatehouse.lambda.signing.SigningSettings;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The environment template.yaml gives the two scan functions binds to the settings they read (a
 * misspelt name would silently be ignored), each gets what it needs, and the worker verifies with
 * the same policy revision, trust configuration and bundle key as registry-push: a scan must not
 * judge an image by laxer rules than its push was.
 */
class ScanEnvironmentTest {

    private static Set<String> known() {
        Set<String> known = new TreeSet<>(GatehouseConfigEnvironmentTest.environmentNames(GatehouseConfig.class, "GATEHOUSE"));
        known.addAll(GatehouseConfigEnvironmentTest.environmentNames(ScanConfig.class, "GATEHOUSE_SCAN"));
        known.addAll(GatehouseConfigEnvironmentTest.environmentNames(SigningSettings.class, "GATEHOUSE_SIGNING"));
        known.addAll(GatehouseConfigEnvironmentTest.environmentNames(RebuildConfig.class, "GATEHOUSE_REBUILD"));
        return known;
    }

    private static Set<String> declared(String function) throws IOException {
        Set<String> declared = new TreeSet<>();
        GatehouseConfigEnvironmentTest.samEnvironment().get(function).fieldNames().forEachRemaining(declared::add);
        declared.remove("QUARKUS_FUNQY_EXPORT");
        return declared;
    }

    @Test
    void everyVariableThePlannerIsGivenBindsToASetting() throws IOException {
        Set<String> declared = declared("compliance-scan");

        assertThat(known()).containsAll(declared);
        assertThat(declared).contains("GATEHOUSE_REPORT_BUCKET", "GATEHOUSE_SCAN_QUEUE_URL", "GATEHOUSE_SCAN_REGISTRY");
    }

    @Test
    void everyVariableTheWorkerIsGivenBindsToASetting() throws IOException {
        Set<String> declared = declared("compliance-scan-worker");

        assertThat(known()).containsAll(declared);
        assertThat(declared).contains("GATEHOUSE_RESULTS_TABLE", "GATEHOUSE_REPORT_BUCKET", "GATEHOUSE_BUNDLE_BUCKET",
                "GATEHOUSE_POLICY_REVISION", "GATEHOUSE_TRUST_CONFIG", "GATEHOUSE_TRUSTED_BUILDERS", "GATEHOUSE_BUNDLE_PUBLIC_KEY");
    }

    @Test
    void theWorkerVerifiesWithThePushPathsPolicyAndTrust() throws IOException {
        JsonNode worker = GatehouseConfigEnvironmentTest.samEnvironment().get("compliance-scan-worker");
        JsonNode push = GatehouseConfigEnvironmentTest.samEnvironment().get("registry-push");
        for (String variable : Set.of("GATEHOUSE_BUNDLE_BUCKET", "GATEHOUSE_POLICY_REVISION", "GATEHOUSE_TRUST_CONFIG",
                "GATEHOUSE_TRUSTED_BUILDERS", "GATEHOUSE_BUNDLE_PUBLIC_KEY", "GATEHOUSE_RESULTS_TABLE")) {
            assertThat(worker.get(variable)).as(variable).isEqualTo(push.get(variable));
        }
    }
}
