package dev.gatehouse.attestation;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic versions as Git tags use them: {@code v} then MAJOR, optionally .MINOR and .PATCH
 * (shorthands {@code v1} and {@code v1.2} stand for {@code v1.0.0} and {@code v1.2.0}), then an
 * optional -prerelease and +build on full versions only. Numbers have no leading zeros.
 */
record SemVer(String major, String minor, String patch, String prerelease, String build, int parts) {

    private static final String NUM = "(0|[1-9][0-9]*)";
    private static final String IDENT = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
    private static final Pattern PATTERN = Pattern.compile(
            "v" + NUM + "(?:\\." + NUM + "(?:\\." + NUM + "(-" + IDENT + ")?(\\+" + IDENT + ")?)?)?");

    static SemVer parse(String v) {
        Matcher m = PATTERN.matcher(v);
        if (!m.matches()) {
            return null;
        }
        if (m.group(4) != null && !validPrerelease(m.group(4).substring(1))) {
            return null;
        }
        int parts = m.group(3) != null ? 3 : m.group(2) != null ? 2 : 1;
        return new SemVer(m.group(1), m.group(2) == null ? "0" : m.group(2), m.group(3) == null ? "0" : m.group(3),
                m.group(4) == null ? "" : m.group(4), m.group(5) == null ? "" : m.group(5), parts);
    }

    private static boolean validPrerelease(String pre) {
        for (String id : pre.split("\\.")) {
            if (id.chars().allMatch(Character::isDigit) && id.length() > 1 && id.charAt(0) == '0') {
                return false;
            }
        }
        return true;
    }

    /**
     * A builder must be referenced at a release tag {@code refs/tags/vX.Y.Z}: all three numbers, no
     * build metadata, and a prerelease only when {@code allowPrerelease}.
     */
    static void requireReleaseTag(String ref, boolean allowPrerelease) throws ProvenanceException {
        String pin = GitRef.tagOf(ref);
        SemVer v = parse(pin);
        if (v == null || v.parts != 3 || !v.build.isEmpty() || (!allowPrerelease && !v.prerelease.isEmpty())) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_REF, pin + ": not of the form vX.Y.Z");
        }
    }

    /**
     * {@code --source-versioned-tag}: the provenance tag must have the expected major version, and
     * the expected minor and patch when the expected tag names them. Build metadata is ignored.
     */
    static void requireVersionedTag(String provenanceTag, String expected) throws ProvenanceException {
        SemVer want = parse(expected);
        if (want == null) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_SEMVER, "expected tag '" + expected + "' is not a semantic version");
        }
        SemVer got = parse(provenanceTag);
        if (got == null) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_SEMVER, "provenance tag '" + provenanceTag + "' is not a semantic version");
        }
        if (!want.major.equals(got.major)) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_VERSIONED_TAG, "major version expected 'v" + want.major + "', got 'v" + got.major + "'");
        }
        if (want.parts >= 2 && !want.minor.equals(got.minor)) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_VERSIONED_TAG, "minor version expected '" + want.minor + "', got '" + got.minor + "'");
        }
        if (want.parts == 3 && !(want.patch + want.prerelease).equals(got.patch + got.prerelease)) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_VERSIONED_TAG, "patch version expected '" + want.patch + want.prerelease
                    + "', got '" + got.patch + got.prerelease + "'");
        }
    }
}
