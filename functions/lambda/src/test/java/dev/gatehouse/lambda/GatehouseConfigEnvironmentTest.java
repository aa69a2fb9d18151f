package dev.gatehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gatehouse.lambda.rebuild.RebuildConfig;
import dev.gatehouse.lambda.signing.SigningSettings;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The environment template.yaml gives registry-push is what {@link GatehouseConfig} (and the
 * signing settings) read: every
 * {@code GATEHOUSE_*} variable it declares binds to a property (a misspelt name would silently be
 * ignored), and every setting the push function needs is declared.
 */
class GatehouseConfigEnvironmentTest {

    static final Path REPO = Path.of(System.getProperty("gatehouse.repo", "../.."));

    /** {@code GATEHOUSE_RESULTS_TABLE} for {@code resultsTable()}, {@code GATEHOUSE_REGISTRY_HOSTS} for {@code registry().hosts()}. */
    static Set<String> environmentNames(Class<?> mapping, String prefix) {
        Set<String> names = new TreeSet<>();
        for (Method method : mapping.getDeclaredMethods()) {
            String name = prefix + "_" + method.getName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == mapping) {
                names.addAll(environmentNames(type, name));
            } else {
                names.add(name);
            }
        }
        return names;
    }

    static Map<String, JsonNode> samEnvironment() throws IOException {
        JsonNode template = new YAMLMapper().readTree(REPO.resolve("template.yaml").toFile());
        Map<String, JsonNode> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> resource : template.get("Resources").properties()) {
            JsonNode variables = resource.getValue().path("Properties").path("Environment").path("Variables");
            if (variables.has("QUARKUS_FUNQY_EXPORT")) {
                out.put(variables.get("QUARKUS_FUNQY_EXPORT").asText(), variables);
            }
        }
        return out;
    }

    @Test
    void everyVariableRegistryPushIsGivenBindsToAConfigProperty() throws IOException {
        Set<String> known = environmentNames(GatehouseConfig.class, "GATEHOUSE");
        known.addAll(environmentNames(SigningSettings.class, "GATEHOUSE_SIGNING"));
        known.addAll(environmentNames(RebuildConfig.class, "GATEHOUSE_REBUILD"));
        Set<String> declared = new TreeSet<>();
        samEnvironment().get("registry-push").fieldNames().forEachRemaining(declared::add);
        declared.remove("QUARKUS_FUNQY_EXPORT");

        assertThat(known).containsAll(declared);
        assertThat(declared).contains("GATEHOUSE_RESULTS_TABLE", "GATEHOUSE_IDEMPOTENCY_TABLE", "GATEHOUSE_BUNDLE_BUCKET",
                "GATEHOUSE_REPORT_BUCKET", "GATEHOUSE_EVENT_BUS", "GATEHOUSE_POLICY_REVISION", "GATEHOUSE_WEBHOOK_SECRET_ARN",
                "GATEHOUSE_TRUST_CONFIG");
    }

    @Test
    void theNamingRuleMatchesSmallRyesEnvironmentMapping() {
        assertThat(environmentNames(GatehouseConfig.class, "GATEHOUSE"))
                .contains("GATEHOUSE_RESULTS_TABLE", "GATEHOUSE_WEBHOOK_SECRET_ARN", "GATEHOUSE_REGISTRY_HOSTS",
                        "GATEHOUSE_REGISTRY_PLAIN_HTTP_UNSAFE", "GATEHOUSE_AWS_DYNAMODB_ENDPOINT");
    }
}
