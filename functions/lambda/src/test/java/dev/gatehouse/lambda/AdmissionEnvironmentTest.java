package dev.gatehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.lambda.admission.AdmissionSettings;
import dev.gatehouse.lambda.signing.SigningSettings;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The environment template.yaml gives the admission function binds to the settings it reads (a
 * misspelt name would silently be ignored), and the function gets what it needs to verify: the
 * bundle bucket, policy revision, trust configuration and verdict cache.
 */
class AdmissionEnvironmentTest {

    @Test
    void everyVariableAdmissionIsGivenBindsToASetting() throws IOException {
        Set<String> known = new TreeSet<>(GatehouseConfigEnvironmentTest.environmentNames(GatehouseConfig.class, "GATEHOUSE"));
        known.addAll(GatehouseConfigEnvironmentTest.environmentNames(AdmissionSettings.class, "GATEHOUSE_ADMISSION"));
        known.addAll(GatehouseConfigEnvironmentTest.environmentNames(SigningSettings.class, "GATEHOUSE_SIGNING"));
        Set<String> declared = new TreeSet<>();
        GatehouseConfigEnvironmentTest.samEnvironment().get("admission").fieldNames().forEachRemaining(declared::add);
        declared.remove("QUARKUS_FUNQY_EXPORT");

        assertThat(known).containsAll(declared);
        assertThat(declared).contains("GATEHOUSE_CACHE_TABLE", "GATEHOUSE_BUNDLE_BUCKET", "GATEHOUSE_POLICY_REVISION",
                "GATEHOUSE_TRUST_CONFIG", "GATEHOUSE_ADMISSION_CONFIG", "GATEHOUSE_ADMISSION_SECRET_ARN");
    }
}
