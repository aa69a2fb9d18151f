package dev.gatehouse.attestation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SemVerTest {

    private static void versioned(String provenanceTag, String expected, SlsaVerifierError kind) {
        if (kind == null) {
            assertThatCode(() -> SemVer.requireVersionedTag(provenanceTag, expected)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> SemVer.requireVersionedTag(provenanceTag, expected))
                    .isInstanceOfSatisfying(ProvenanceException.class, e -> org.assertj.core.api.Assertions.assertThat(e.kind()).isEqualTo(kind));
        }
    }

    @Test
    void versionedTagComparesOnlyTheComponentsTheExpectationNames() {
        versioned("v13.0.30", "v13", null);
        versioned("v13.0.30", "v13.0", null);
        versioned("v13.0.30", "v13.0.30", null);
        versioned("v13.0.30", "v13.1", SlsaVerifierError.MISMATCHED_VERSIONED_TAG);
        versioned("v14", "v14.0", null);
        versioned("v14", "v14.0.1", SlsaVerifierError.MISMATCHED_VERSIONED_TAG);
        versioned("v14.2", "v14.2.1", SlsaVerifierError.MISMATCHED_VERSIONED_TAG);
        versioned("v1.2.3+build.7", "v1.2.3", null);
        versioned("v1.2.3-rc.1", "v1.2.3", SlsaVerifierError.MISMATCHED_VERSIONED_TAG);
        versioned("v1.2.3", "1.2.3", SlsaVerifierError.INVALID_SEMVER);
        versioned("release-7", "v7", SlsaVerifierError.INVALID_SEMVER);
        versioned("v01.2.3", "v1", SlsaVerifierError.INVALID_SEMVER);
    }

    @Test
    void builderMustBeReferencedAtAFullReleaseTag() {
        assertThatCode(() -> SemVer.requireReleaseTag("refs/tags/v2.1.0", false)).doesNotThrowAnyException();
        for (String ref : new String[] {"refs/tags/v2.1", "refs/tags/v2.1.0-rc.1", "refs/heads/main", "refs/tags/v2.1.0+meta", "v2.1.0"}) {
            assertThatThrownBy(() -> SemVer.requireReleaseTag(ref, false)).as(ref)
                    .isInstanceOfSatisfying(ProvenanceException.class,
                            e -> org.assertj.core.api.Assertions.assertThat(e.kind()).isEqualTo(SlsaVerifierError.INVALID_REF));
        }
        assertThatCode(() -> SemVer.requireReleaseTag("refs/tags/v2.1.0-rc.1", true)).doesNotThrowAnyException();
    }
}
