package dev.gatehouse.lambda.admission;

import dev.gatehouse.handlers.admission.AdmissionFixture;
import dev.gatehouse.oci.testing.LocalRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real local registry with signed sample images, their trust configuration and an admission
 * configuration (namespaces {@code team-*} in warn mode), handed to the function as settings. What
 * the test needs to know about the images goes through {@code admission-test.*} properties.
 */
public class AdmissionFunctionTestResource implements QuarkusTestResourceLifecycleManager {

    private LocalRegistry registry;
    private AdmissionFixture fixture;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("gatehouse-admission-lambda");
            registry = LocalRegistry.anonymous();
            registry.start();
            fixture = AdmissionFixture.create(registry, dir.resolve("trust"));
            Path config = dir.resolve("admission.yaml");
            Files.writeString(config, """
                    namespaces:
                      - match: ["team-*"]
                        mode: warn
                    deadline: 8s
                    """, StandardCharsets.UTF_8);
            return Map.of(
                    "gatehouse.admission.config-file", config.toString(),
                    "gatehouse.admission.trust-config", fixture.trustConfigFile().toString(),
                    "gatehouse.admission.trusted-builders", fixture.trustDir().resolve("trusted-builders.json").toString(),
                    "gatehouse.admission.plain-http-unsafe", registry.host(),
                    "admission-test.compliant", fixture.image("compliant"),
                    "admission-test.compliant-digest", fixture.digest("compliant").toString(),
                    "admission-test.unsigned", fixture.image("unsigned"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the admission fixture: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (registry != null) {
            registry.stop();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
