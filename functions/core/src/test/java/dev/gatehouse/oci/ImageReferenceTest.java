package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    private static final String HEX = "a".repeat(64);

    @Test
    void shortNamesGoToDockerHubLibraryWithTagLatest() {
        ImageReference ref = ImageReference.parse("alpine");
        assertThat(ref.registry()).isEqualTo("docker.io");
        assertThat(ref.repository()).isEqualTo("library/alpine");
        assertThat(ref.tag()).isEqualTo("latest");
        assertThat(ref.digest()).isNull();
        assertThat(ref).hasToString("docker.io/library/alpine:latest");
        assertThat(ImageReference.parse("index.docker.io/foo/bar:1").repositoryName()).isEqualTo("docker.io/foo/bar");
    }

    @Test
    void hostIsTheFirstComponentOnlyWhenItLooksLikeAHost() {
        assertThat(ImageReference.parse("localhost/x").registry()).isEqualTo("localhost");
        assertThat(ImageReference.parse("127.0.0.1:5000/a/b:v1").registry()).isEqualTo("127.0.0.1:5000");
        assertThat(ImageReference.parse("ghcr.io/org/app:1.2").repository()).isEqualTo("org/app");
        assertThat(ImageReference.parse("org/app").registry()).isEqualTo("docker.io");
        assertThat(ImageReference.parse("org/app").repository()).isEqualTo("org/app");
    }

    @Test
    void digestPinsAndTagIsKeptForDisplay() {
        ImageReference ref = ImageReference.parse("ghcr.io/org/app:1.2@sha256:" + HEX);
        assertThat(ref.tag()).isEqualTo("1.2");
        assertThat(ref.digest()).hasToString("sha256:" + HEX);
        assertThat(ref.identifier()).isEqualTo("sha256:" + HEX);
        ImageReference byDigest = ImageReference.parse("ghcr.io/org/app@sha256:" + HEX);
        assertThat(byDigest.tag()).isNull();
    }

    @Test
    void badReferencesFailWithOneLineReason() {
        assertThatThrownBy(() -> ImageReference.parse("Alpine")).hasMessageContaining("bad repository path component");
        assertThatThrownBy(() -> ImageReference.parse("alpine:bad tag")).hasMessageContaining("bad tag");
        assertThatThrownBy(() -> ImageReference.parse("alpine@sha256:abc")).hasMessageContaining("64");
        assertThatThrownBy(() -> ImageReference.parse(HEX)).hasMessageContaining("64-character hex");
        assertThatThrownBy(() -> ImageReference.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ImageReference.parse("ghcr.io//x")).hasMessageContaining("component");
    }

    @Test
    void layoutReferencesNameADirectoryAndOptionalTagOrDigest() {
        ImageReference plain = ImageReference.parse("oci:/srv/layout");
        assertThat(plain.isLayout()).isTrue();
        assertThat(plain.layout()).isEqualTo(Path.of("/srv/layout"));
        assertThat(plain.tag()).isNull();
        ImageReference tagged = ImageReference.parse("oci:build/out:v1");
        assertThat(tagged.layout()).isEqualTo(Path.of("build/out"));
        assertThat(tagged.tag()).isEqualTo("v1");
        ImageReference pinned = ImageReference.parse("oci:/srv/layout@sha256:" + HEX);
        assertThat(pinned.digest()).hasToString("sha256:" + HEX);
        assertThat(pinned.repositoryName()).isEqualTo("oci:/srv/layout");
    }
}
