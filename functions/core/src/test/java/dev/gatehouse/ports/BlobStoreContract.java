package dev.gatehouse.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.ports.BlobStore.BlobTooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every BlobStore does; subclasses supply the implementation under test. */
public abstract class BlobStoreContract {

    private BlobStore store;
    private String base;

    protected abstract BlobStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
        base = "t-" + UUID.randomUUID() + "/";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void returnsWhatWasPut() {
        byte[] bundle = new byte[70_000];
        new java.util.Random(7).nextBytes(bundle);
        store.put(base + "bundles/rev-1.tar.gz", bundle);
        assertThat(store.get(base + "bundles/rev-1.tar.gz", 1 << 20)).hasValueSatisfying(b -> assertThat(b).isEqualTo(bundle));
    }

    @Test
    void missingBlobIsEmpty() {
        assertThat(store.get(base + "absent.json", 100)).isEmpty();
    }

    @Test
    void putReplacesTheBlob() {
        store.put(base + "reports/a.json", bytes("{\"v\":1}"));
        store.put(base + "reports/a.json", bytes("{\"v\":2}"));
        assertThat(store.get(base + "reports/a.json", 100)).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("{\"v\":2}")));
    }

    @Test
    void blobAboveTheLimitIsRefusedAndOneAtTheLimitIsRead() {
        store.put(base + "reports/big.json", new byte[1000]);
        assertThatThrownBy(() -> store.get(base + "reports/big.json", 999))
                .isInstanceOf(BlobTooLargeException.class)
                .hasMessageContaining("limit 999");
        assertThat(store.get(base + "reports/big.json", 1000)).hasValueSatisfying(b -> assertThat(b).hasSize(1000));
    }

    @Test
    void emptyBlobIsABlob() {
        store.put(base + "empty", new byte[0]);
        assertThat(store.get(base + "empty", 0)).hasValueSatisfying(b -> assertThat(b).isEmpty());
    }

    @Test
    void listsKeysUnderAPrefixSortedAndLimited() {
        store.put(base + "reports/b.json", bytes("b"));
        store.put(base + "reports/a.json", bytes("a"));
        store.put(base + "reports/c.json", bytes("c"));
        store.put(base + "bundles/rev-1.tar.gz", bytes("x"));
        assertThat(store.list(base + "reports/", 10))
                .containsExactly(base + "reports/a.json", base + "reports/b.json", base + "reports/c.json");
        assertThat(store.list(base + "reports/", 2)).containsExactly(base + "reports/a.json", base + "reports/b.json");
        assertThat(store.list(base + "nothing/", 10)).isEmpty();
    }

    @Test
    void refusesKeysThatEscapeOrAreNotRelativePaths() {
        for (String key : new String[] {"../etc/passwd", "/abs", "a//b", "a/./b", "a/../../b", "", "a b", "a\\b"}) {
            assertThatThrownBy(() -> store.put(key, bytes("x"))).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.get(key, 10)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
