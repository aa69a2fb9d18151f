package dev.gatehouse.lambda.admission;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The admission function exported, the mock event server on a free port, and the registry fixture. */
public class AdmissionFunctionTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.funqy.export", "admission", "quarkus.lambda.mock-event-server.test-port", "0");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(AdmissionFunctionTestResource.class));
    }
}
