package dev.gatehouse.handlers.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.io.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionConfigTest {

    private static AdmissionConfig parse(String text) throws MalformedInputException {
        return AdmissionConfig.parse(text.getBytes(StandardCharsets.UTF_8), "admission.yaml");
    }

    @Test
    void anEmptyDocumentIsTheStrictDefault() throws Exception {
        AdmissionConfig config = parse("");
        assertThat(config).isEqualTo(AdmissionConfig.defaults());
        assertThat(config.mode()).isEqualTo(AdmissionMode.ENFORCE);
        assertThat(config.deadline()).isEqualTo(Duration.ofSeconds(8));
        assertThat(config.failOpenUnsafe()).isFalse();
        assertThat(config.cacheDenials()).isFalse();
        assertThat(config.exemptingNamespace("kube-system")).isEmpty();
    }

    @Test
    void theDocumentedExampleParses() throws Exception {
        AdmissionConfig config = parse("""
                version: 1
                mode: enforce
                namespaces:
                  - match: ["sandbox-*", "playground"]
                    mode: warn
                  - match: ["legacy"]
                    mode: audit
                exempt:
                  namespaces: ["kube-system", "gatehouse-system"]
                  images: ["registry.k8s.io/**", "docker.io/library/busybox"]
                deadline: 8s
                concurrency: 16
                cache:
                  ttl: 10m
                  denials: false
                  denialTtl: 1m
                failOpenUnsafe: false
                """);
        assertThat(config.modeFor("sandbox-a")).isEqualTo(AdmissionMode.WARN);
        assertThat(config.modeFor("playground")).isEqualTo(AdmissionMode.WARN);
        assertThat(config.modeFor("legacy")).isEqualTo(AdmissionMode.AUDIT);
        assertThat(config.modeFor("prod")).isEqualTo(AdmissionMode.ENFORCE);
        assertThat(config.exemptingNamespace("gatehouse-system")).contains("gatehouse-system");
        assertThat(config.exemptingImage("registry.k8s.io/pause")).contains("registry.k8s.io/**");
        assertThat(config.exemptingImage("registry.k8s.io/sig/etcd")).contains("registry.k8s.io/**");
        assertThat(config.exemptingImage("docker.io/library/busybox")).contains("docker.io/library/busybox");
        assertThat(config.exemptingImage("docker.io/library/busybox2")).isEmpty();
        assertThat(config.cacheTtl()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void jsonWorksToo() throws Exception {
        assertThat(parse("{\"mode\": \"audit\", \"deadline\": 5}").deadline()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void mistakesAreRefusedWithThePlace() {
        assertThatThrownBy(() -> parse("mode: enforse"))
                .hasMessage("admission config at admission.yaml /mode: unknown mode 'enforse' (enforce, warn or audit)");
        assertThatThrownBy(() -> parse("failOpen: true"))
                .hasMessageStartingWith("admission config at admission.yaml /failOpen: unknown field");
        assertThatThrownBy(() -> parse("exempt: {images: [\"docker.io/library/nginx:1.27\"]}"))
                .hasMessageContaining("globs name registry/repository, not tags or digests");
        assertThatThrownBy(() -> parse("deadline: 45s")).hasMessageContaining("at most 29s");
        assertThatThrownBy(() -> parse("deadline: soon")).hasMessageContaining("/deadline: expected a duration");
        assertThatThrownBy(() -> parse("failOpenUnsafe: \"yes\"")).hasMessageContaining("/failOpenUnsafe: expected true or false");
        assertThatThrownBy(() -> parse("namespaces: [{match: [], mode: warn}]")).hasMessageContaining("/namespaces/0/match");
        assertThatThrownBy(() -> parse("a: 1\na: 2")).isInstanceOf(MalformedInputException.class);
    }
}
