package dev.gatehouse.handlers.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.TestImages;
import dev.gatehouse.ports.ImageEnumerator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RegistryCatalogEnumeratorTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @Test
    void namedRepositoriesAreListedWithoutTheCatalogAndMissingOnesAreReported() throws Exception {
        TestImages.image().pushTo(REGISTRY.repository("named/one"), "v1");
        RegistryCatalogEnumerator enumerator = new RegistryCatalogEnumerator(
                new OciRepositories(REGISTRY.credentials(), REGISTRY.options()), REGISTRY.host());
        ImageEnumerator.Listing listing = enumerator.list(new ImageEnumerator.Scope(List.of("named/one", "named/absent"), 10));
        assertThat(listing.images()).singleElement().satisfies(i -> assertThat(i.tags()).containsExactly("v1"));
        assertThat(listing.unlisted()).singleElement().satisfies(u -> {
            assertThat(u.repository()).isEqualTo("named/absent");
            assertThat(u.problem()).contains("cannot list tags");
        });
    }

    @Test
    void catalogListingStopsAtTheImageLimit() throws Exception {
        for (int i = 0; i < 3; i++) {
            TestImages.image().pushTo(REGISTRY.repository("limited/r" + i), "v1");
        }
        RegistryCatalogEnumerator enumerator = new RegistryCatalogEnumerator(
                new OciRepositories(REGISTRY.credentials(), REGISTRY.options()), REGISTRY.host());
        ImageEnumerator.Listing listing = enumerator.list(ImageEnumerator.Scope.everything(2));
        assertThat(listing.images()).hasSize(2);
        assertThat(listing.truncated()).isTrue();
    }
}
