package dev.gatehouse.attestation;


/**
 * A builder id split into its name and its version or ref ({@code name@refs/tags/v2.1.0}). A
 * user may name a builder bare, at {@code @vX.Y.Z} or at {@code @refs/tags/vX.Y.Z}.
 */
public record BuilderId(String name, String version) {

    public static BuilderId parse(String id, boolean needVersion) throws ProvenanceException {
        String[] parts = id.split("@", -1);
        if (parts.length == 2) {
            if (parts[1].isEmpty()) {
                throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, "builder id '" + id + "' has an empty version");
            }
            return new BuilderId(parts[0], parts[1]);
        }
        if (parts.length == 1 && !needVersion) {
            return new BuilderId(parts[0], "");
        }
        throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, "builder id '" + id + "': expected NAME@VERSION");
    }

    /**
     * Names must be equal; a version in {@code expected} must be equal too, where {@code vX} given
     * by the user also matches {@code refs/tags/vX} when {@code allowRef}.
     */
    public void matchesLoose(String expected, boolean allowRef) throws ProvenanceException {
        BuilderId other = parse(expected, false);
        if (!other.name.equals(name)) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_BUILDER_ID, "expected name '" + name + "', got '" + other.name + "'");
        }
        if (!other.version.isEmpty()) {
            sameVersion(other, allowRef);
        }
    }

    /** Names and versions must both be equal. */
    public void matchesFull(String expected, boolean allowRef) throws ProvenanceException {
        BuilderId other = parse(expected, false);
        if (!other.name.equals(name)) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_BUILDER_ID, "expected name '" + name + "', got '" + other.name + "'");
        }
        sameVersion(other, allowRef);
    }

    private void sameVersion(BuilderId other, boolean allowRef) throws ProvenanceException {
        if (!other.version.equals(version) && !(allowRef && ("refs/tags/" + other.version).equals(version))) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_BUILDER_ID, "expected version '" + other.version + "', got '" + version + "'");
        }
    }

    @Override
    public String toString() {
        return version.isEmpty() ? name : name + "@" + version;
    }
}
