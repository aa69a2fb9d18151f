package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.io.MalformedInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageConfigTest {

    @Test
    void readsTheFactsPoliciesCheck() throws Exception {
        ImageConfig c = ImageConfig.parse(("""
                {"os":"linux","architecture":"arm64","created":"2026-01-01T00:00:00Z",
                 "config":{"User":"65532:65532","Entrypoint":["/app"],"Cmd":["--serve"],
                 "Env":["PATH=/usr/bin","EMPTY=","BARE"],"Labels":{"a":"b"},
                 "ExposedPorts":{"8080/tcp":{}},"WorkingDir":"/w"}}
                """).getBytes(StandardCharsets.UTF_8));
        assertThat(c.user()).isEqualTo("65532:65532");
        assertThat(c.entrypoint()).containsExactly("/app");
        assertThat(c.env()).containsEntry("PATH", "/usr/bin").containsEntry("EMPTY", "").containsEntry("BARE", "");
        assertThat(c.labels()).containsEntry("a", "b");
        assertThat(c.exposedPorts()).containsExactly("8080/tcp");
        assertThat(c.architecture()).isEqualTo("arm64");
    }

    @Test
    void missingConfigSectionMeansDefaults() throws Exception {
        ImageConfig c = ImageConfig.parse("{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(c.user()).isEmpty();
        assertThat(c.env()).isEmpty();
    }

    @Test
    void wrongTypesAreRejectedWithTheirPlace() {
        assertThatThrownBy(() -> ImageConfig.parse("{\"config\":{\"Env\":[1]}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedInputException.class).hasMessage("image config at /config/Env/0: expected a string");
        assertThatThrownBy(() -> ImageConfig.parse("{\"config\":{\"User\":0}}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("User: expected a string");
    }
}
