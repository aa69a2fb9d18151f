package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.TestImages;
import dev.gatehouse.ports.RegistryCredentials;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The default HTTPS path, against the registry with a private certificate and basic auth. */
class RegistryTlsTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.basicAuth().withTls();

    @Test
    void trustedPrivateCertificateCarriesBasicAuthOverTls() throws Exception {
        OciRepository repo = REGISTRY.repository("tls/app");
        TestImages.TestIndex multi = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"));
        multi.pushTo(repo, "v1");
        assertThat(REGISTRY.repository("tls/app").resolve("v1").digest()).isEqualTo(multi.index().digest());
    }

    @Test
    void untrustedCertificateFailsFastWithoutRetries() {
        RegistryClient.Options defaults = RegistryClient.Options.defaults()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
                // A retry would wait a minute first, so finishing well within that shows there was none
                // (not a speed check: the margin holds on a loaded machine).
                .withRetries(3, Duration.ofSeconds(60), Duration.ofSeconds(60));
        OciRepository repo = RegistryClient.create(REGISTRY.host(), RegistryCredentials.anonymous(), defaults).repository("tls/app");
        long start = System.nanoTime();
        assertThatThrownBy(() -> repo.resolve("v1"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAVAILABLE))
                .hasMessageContaining("TLS with " + REGISTRY.host() + " failed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(45));
    }
}
