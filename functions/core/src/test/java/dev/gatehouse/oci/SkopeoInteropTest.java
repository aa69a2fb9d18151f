package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Images written by skopeo and umoci read through our client and layout reader, and the other way round. */
class SkopeoInteropTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    Path dir;

    private static void run(String... command) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/" + command[0])), command[0] + " not installed: interop test skipped");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    @Test
    void imageCopiedBySkopeoFromOurLayoutKeepsItsDigestInTheRegistry() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir.resolve("ours"));
        TestImages.TestImage image = TestImages.image();
        image.pushTo(layout, "v1");
        String target = REGISTRY.host() + "/skopeo/pushed:v1";
        run("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "oci:" + layout.directory() + ":v1", "docker://" + target);

        OciRepository repo = REGISTRY.repository("skopeo/pushed");
        Descriptor resolved = repo.resolve("v1");
        assertThat(resolved.digest()).isEqualTo(image.manifest().digest());
        ImageManifest manifest = (ImageManifest) repo.manifest(resolved);
        assertThat(repo.blob(manifest.layers().get(0).digest(), 1 << 20)).isEqualTo(image.layer());
    }

    @Test
    void multiArchIndexCopiedBySkopeoIntoALayoutReadsBack() throws Exception {
        TestImages.TestIndex multi = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"));
        multi.pushTo(REGISTRY.repository("skopeo/multi"), "v1");
        Path out = dir.resolve("copied");
        run("skopeo", "copy", "--quiet", "--all", "--src-tls-verify=false", "docker://" + REGISTRY.host() + "/skopeo/multi:v1",
                "oci:" + out + ":v1");

        OciLayout layout = (OciLayout) OciRepositories.anonymous().open(ImageReference.parse("oci:" + out + ":v1"));
        Descriptor top = layout.resolve("v1");
        assertThat(top.digest()).isEqualTo(multi.index().digest());
        ImageIndex index = (ImageIndex) layout.manifest(top);
        for (TestImages.TestImage image : multi.images()) {
            ImageManifest m = (ImageManifest) layout.manifest(index.manifestFor(image.platform()).orElseThrow());
            assertThat(layout.blob(m.config().digest(), 1 << 20)).isEqualTo(image.config());
        }
    }

    @Test
    void umociImagePushedBySkopeoResolvesInTheRegistry() throws Exception {
        Path umoci = dir.resolve("umoci");
        run("umoci", "init", "--layout", umoci.toString());
        run("umoci", "new", "--image", umoci + ":base");
        run("umoci", "config", "--image", umoci + ":base", "--config.env", "GATEHOUSE=1", "--os", "linux", "--architecture", "amd64");
        OciLayout layout = OciLayout.open(umoci);
        Descriptor local = layout.resolve("base");
        run("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "oci:" + umoci + ":base",
                "docker://" + REGISTRY.host() + "/umoci/base:base");
        OciRepository repo = REGISTRY.repository("umoci/base");
        assertThat(repo.resolve("base").digest()).isEqualTo(local.digest());
        ImageManifest m = (ImageManifest) repo.manifest(local.digest());
        assertThat(new String(repo.blob(m.config().digest(), 1 << 20), StandardCharsets.UTF_8)).contains("GATEHOUSE=1");
        assertThat(repo.tags()).isEqualTo(List.of("base"));
    }
}
