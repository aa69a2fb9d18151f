package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {

    @Test
    void sha256OfContentRoundTrips() {
        Digest d = Digest.sha256("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(d.toString()).isEqualTo("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(Digest.parse(d.toString())).isEqualTo(d);
        assertThat(d.matches("hello".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(d.tagForm()).startsWith("sha256-2cf24d");
    }

    @Test
    void rejectsShortHexLikeTheAwsSampleEvent() {
        assertThatThrownBy(() -> Digest.parse("sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64");
    }

    @Test
    void rejectsUnknownAlgorithmAndUppercase() {
        assertThatThrownBy(() -> Digest.parse("md5:abc")).hasMessageContaining("unsupported");
        assertThatThrownBy(() -> Digest.parse("sha256:" + "A".repeat(64))).hasMessageContaining("lowercase");
        assertThatThrownBy(() -> Digest.parse("nocolon")).hasMessageContaining("algorithm:hex");
    }
}
