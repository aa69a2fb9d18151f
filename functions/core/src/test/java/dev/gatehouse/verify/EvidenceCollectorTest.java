package dev.gatehouse.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.signing.LocalKeySigner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceCollectorTest {

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
    }

    @Test
    void findsEveryCosignSignatureAndAttestationOfTheResolvedDigestOnce() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        var built = new SampleImages(layout, LocalKeySigner.generate("k"), Instant.now()).build("example/app", "v1", Set.of());

        Target target = new TargetResolver(OciRepositories.anonymous()).resolve(ImageReference.parse("oci:" + dir + ":v1"), null);
        assertThat(target.digest()).isEqualTo(built.image().digest());

        var collected = new EvidenceCollector(executor).collect(target.repository(), target.subjects());
        assertThat(collected.failures()).isEmpty();
        assertThat(collected.evidence()).filteredOn(e -> e instanceof Evidence.CosignSignature).hasSize(1);
        assertThat(collected.evidence()).filteredOn(e -> e instanceof Evidence.DsseAttestation).hasSize(4);
        assertThat(collected.evidence()).allMatch(e -> e.subject().equals(built.image().digest()));
    }
}
