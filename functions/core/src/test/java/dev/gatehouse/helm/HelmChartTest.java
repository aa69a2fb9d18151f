package dev.gatehouse.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.rego.archive.BoundedTarGz;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelmChartTest {

    static byte[] chart(Map<String, String> files) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return BoundedTarGz.write(bytes);
    }

    @Test
    void imagesComeFromValuesMapsStringsTemplatesAndTheArtifactHubAnnotation() throws Exception {
        HelmChart chart = HelmChart.read(chart(Map.of(
                "web/Chart.yaml", """
                        apiVersion: v2
                        name: web
                        version: 1.2.3
                        appVersion: "4.5.6"
                        annotations:
                          artifacthub.io/images: |
                            - name: proxy
                              image: dhi.io/nginx:1.27
                        """,
                "web/values.yaml", """
                        # the app
                        image:
                          registry: registry.example
                          repository: acme/web
                          tag: ""
                        sidecar:
                          image: registry.example/acme/sidecar@sha256:%s
                        db:
                          image:
                            repository: acme/db
                            tag: 16
                            digest: sha256:%s
                        templated:
                          image: "{{ .Values.global.registry }}/x"
                        """.formatted("a".repeat(64), "b".repeat(64)),
                "web/templates/job.yaml", """
                        spec:
                          containers:
                            - name: migrate
                              image: "registry.example/acme/migrate:2"
                            - name: app
                              image: {{ .Values.image.repository }}
                        """,
                "web/charts/cache/values.yaml", "image:\n  repository: docker.io/library/redis\n  tag: '7.4'\n")));

        assertThat(chart.name()).isEqualTo("web");
        assertThat(chart.version()).isEqualTo("1.2.3");
        assertThat(chart.images()).containsExactlyInAnyOrder(
                "dhi.io/nginx:1.27",
                "registry.example/acme/web:4.5.6",
                "registry.example/acme/sidecar@sha256:" + "a".repeat(64),
                "acme/db:16@sha256:" + "b".repeat(64),
                "registry.example/acme/migrate:2",
                "docker.io/library/redis:7.4");
    }

    @Test
    void aPackageWithoutChartYamlIsRefusedWithTheReason() {
        assertThatThrownBy(() -> HelmChart.read(chart(Map.of("web/values.yaml", "a: 1\n"))))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("Helm chart").hasMessageContaining("Chart.yaml");
    }

    @Test
    void notATarGzIsRefused() {
        assertThatThrownBy(() -> HelmChart.read("not gzip".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("not a readable .tar.gz");
    }

    @Test
    void aDecompressionBombStopsAtTheExpansionLimit() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("web/Chart.yaml", "name: web\nversion: 1.0.0\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 20; i++) {
            files.put("web/files/zero" + i + ".bin", new byte[4 << 20]);
        }
        byte[] bomb = BoundedTarGz.write(files);
        assertThat(bomb.length).isLessThan(1 << 20);

        assertThatThrownBy(() -> HelmChart.read(bomb))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("expands beyond");
    }
}
