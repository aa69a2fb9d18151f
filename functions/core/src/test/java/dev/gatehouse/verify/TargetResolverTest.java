package dev.gatehouse.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.Platform;
import dev.gatehouse.oci.testing.TestImages;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetResolverTest {

    @TempDir
    Path dir;

    private final TargetResolver resolver = new TargetResolver(OciRepositories.anonymous());

    @Test
    void indexResolvesToRequestedPlatformAndCountsIndexSignatures() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        var index = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"));
        var indexDescriptor = index.pushTo(layout, "multi");

        Target arm = resolver.resolve(ImageReference.parse("oci:" + dir + ":multi"), Platform.parse("linux/arm64"));
        assertThat(arm.digest()).isEqualTo(index.images().get(1).manifest().digest());
        assertThat(arm.subjects()).containsExactly(arm.digest(), indexDescriptor.digest());
        assertThat(arm.platforms()).hasSize(2);

        Target byDefault = resolver.resolve(ImageReference.parse("oci:" + dir + ":multi"), null);
        assertThat(byDefault.digest()).isEqualTo(index.images().get(0).manifest().digest());
    }

    @Test
    void missingPlatformNamesTheOnesThere() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        TestImages.multiArch(Platform.of("linux", "amd64")).pushTo(layout, "multi");
        assertThatThrownBy(() -> resolver.resolve(ImageReference.parse("oci:" + dir + ":multi"), Platform.parse("linux/s390x")))
                .hasMessageContaining("has no linux/s390x image").hasMessageContaining("linux/amd64");
    }

    @Test
    void singleImageIsItsOwnOnlySubject() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        var image = TestImages.image().pushTo(layout, "one");
        Target t = resolver.resolve(ImageReference.parse("oci:" + dir + ":one"), null);
        assertThat(t.subjects()).containsExactly(image.digest());
        assertThat(t.platforms()).isEmpty();
    }
}
