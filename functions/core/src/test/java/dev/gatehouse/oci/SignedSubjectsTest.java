package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.testing.TestImages;
import org.junit.jupiter.api.Test;

class SignedSubjectsTest {

    private final TestImages.TestIndex multi = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"));
    private final Digest index = multi.index().digest();
    private final Digest amd64 = multi.images().get(0).manifest().digest();

    @Test
    void indexSignatureCoversItsDirectPlatformManifestsWhenThatIndexWasReferenced() {
        assertThat(SignedSubjects.forTarget(amd64, multi.index())).containsExactly(amd64, index);
        assertThat(SignedSubjects.covers(index, amd64, multi.index())).isTrue();
    }

    @Test
    void withoutTheReferencedIndexOnlyTheDigestItselfCounts() {
        assertThat(SignedSubjects.forTarget(amd64, null)).containsExactly(amd64);
        assertThat(SignedSubjects.covers(index, amd64, null)).isFalse();
    }

    @Test
    void platformSignaturesNeverCoverTheIndex() {
        assertThat(SignedSubjects.forTarget(index, multi.index())).containsExactly(index);
        assertThat(SignedSubjects.covers(amd64, index, multi.index())).isFalse();
    }

    @Test
    void anUnrelatedIndexCoversNothing() {
        TestImages.TestIndex other = TestImages.multiArch(Platform.of("linux", "amd64"));
        assertThat(SignedSubjects.covers(other.index().digest(), amd64, other.index())).isFalse();
    }
}
