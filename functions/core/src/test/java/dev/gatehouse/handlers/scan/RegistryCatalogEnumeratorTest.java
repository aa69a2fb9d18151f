package dev.gatehouse.handlers.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.RegistryClient;
import dev.gatehouse.oci.testing.FaultProxy;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.TestImages;
import dev.gatehouse.ports.ImageEnumerator;
import dev.gatehouse.ports.RegistryCredentials;
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

    @Test
    void aRepositoryWithManyTagsIsResolvedOnlyUntilTheImageLimitIsPassed() throws Exception {
        int tags = 3 * RegistryCatalogEnumerator.RESOLVE_WINDOW;
        for (int i = 0; i < tags; i++) {
            TestImages.image().pushTo(REGISTRY.repository("many/tags"), "t%03d".formatted(i));
        }
        try (FaultProxy proxy = FaultProxy.of(REGISTRY.host())) {
            OciRepositories throughProxy = new OciRepositories(RegistryCredentials.anonymous(),
                    RegistryClient.Options.defaults().withPlainHttpUnsafe(proxy.host()));
            ImageEnumerator.Listing listing = new RegistryCatalogEnumerator(throughProxy, proxy.host())
                    .list(new ImageEnumerator.Scope(List.of("many/tags"), 2));
            assertThat(listing.images()).hasSize(2);
            assertThat(listing.truncated()).isTrue();
            // The limit plus the one that shows truncation, and at most one window already in flight.
            assertThat(proxy.paths()).filteredOn(FaultProxy.manifests())
                    .hasSizeLessThanOrEqualTo(2 + 1 + RegistryCatalogEnumerator.RESOLVE_WINDOW);
        }
    }

    @Test
    void aRepositoryThatPassesTheLimitIsCutToItAndLaterOnesAreNotListed() throws Exception {
        TestImages.image().pushTo(REGISTRY.repository("cut/a"), "v1");
        TestImages.image().pushTo(REGISTRY.repository("cut/a"), "v2");
        TestImages.image().pushTo(REGISTRY.repository("cut/b"), "v1");
        RegistryCatalogEnumerator enumerator = new RegistryCatalogEnumerator(
                new OciRepositories(REGISTRY.credentials(), REGISTRY.options()), REGISTRY.host());
        ImageEnumerator.Listing listing = enumerator.list(new ImageEnumerator.Scope(List.of("cut/a", "cut/b"), 1));
        assertThat(listing.images()).singleElement().satisfies(i -> assertThat(i.repository()).isEqualTo("cut/a"));
        assertThat(listing.truncated()).isTrue();
    }
}
