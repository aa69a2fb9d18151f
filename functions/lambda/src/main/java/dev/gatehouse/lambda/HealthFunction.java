package dev.gatehouse.lambda;

import io.quarkus.funqy.Funq;
import java.util.Map;

/** Liveness answer for warmers and deployment smoke tests; does no verification work. */
public class HealthFunction {

    @Funq("health")
    public Map<String, String> health() {
        return Map.of("status", "ok", "service", "gatehouse");
    }
}
