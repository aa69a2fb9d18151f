package dev.gatehouse.lambda.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.handlers.admission.AdmissionConfig;
import dev.gatehouse.handlers.admission.AdmissionMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdmissionProducersTest {

    @TempDir
    Path dir;

    private static AdmissionSettings settings(String inline, Path file) {
        return new AdmissionSettings() {
            @Override
            public Optional<String> config() {
                return Optional.ofNullable(inline);
            }

            @Override
            public Optional<Path> configFile() {
                return Optional.ofNullable(file);
            }

            @Override
            public Optional<String> secretArn() {
                return Optional.empty();
            }
        };
    }

    @Test
    void theInlineDocumentFromTheEnvironmentConfiguresAdmission() throws Exception {
        AdmissionConfig config = AdmissionProducers.admissionConfig(settings("{mode: audit, deadline: 5s}", null));
        assertThat(config.mode()).isEqualTo(AdmissionMode.AUDIT);
        assertThat(config.deadline()).hasSeconds(5);
    }

    @Test
    void aFileWinsAndNothingMeansTheStrictDefault() throws Exception {
        Path file = Files.writeString(dir.resolve("admission.yaml"), "mode: warn\n");
        assertThat(AdmissionProducers.admissionConfig(settings("mode: audit", file)).mode()).isEqualTo(AdmissionMode.WARN);
        assertThat(AdmissionProducers.admissionConfig(settings(null, null))).isEqualTo(AdmissionConfig.defaults());
    }

    @Test
    void aBrokenDocumentStopsTheFunctionNamingTheVariable() {
        assertThatThrownBy(() -> AdmissionProducers.admissionConfig(settings("mode: enforse", null)))
                .hasMessage("admission config at GATEHOUSE_ADMISSION_CONFIG /mode: unknown mode 'enforse' (enforce, warn or audit)");
    }
}
