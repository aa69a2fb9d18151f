package dev.gatehouse.ports.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.BlobStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    protected BlobStore newStore() {
        return new DirectoryBlobStore(root);
    }

    @Test
    void blobsAreFilesUnderTheRootAndSurviveANewStore() throws IOException {
        new DirectoryBlobStore(root).put("bundles/rev-1.tar.gz", new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(root.resolve("bundles/rev-1.tar.gz"))).containsExactly(1, 2, 3);
        assertThat(new DirectoryBlobStore(root).get("bundles/rev-1.tar.gz", 3)).isPresent();
        try (var files = Files.list(root.resolve("bundles"))) {
            assertThat(files).hasSize(1);
        }
    }
}
