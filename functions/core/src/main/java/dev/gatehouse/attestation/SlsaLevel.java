package dev.gatehouse.attestation;

/**
 * The SLSA Build level verified provenance earns (rules in docs/slsa-levels.md):
 * L1 provenance exists and parses; L2 it is signed by the build platform and the signature
 * verifies against trusted material; L3 the signer is a builder listed as L3 in the trusted
 * builders list (isolated, non-forgeable provenance), checked at the version it claims.
 */
public record SlsaLevel(int level, String reason) {

    public static SlsaLevel assign(boolean signatureVerified, TrustedBuilders.Builder builder) {
        if (!signatureVerified) {
            return new SlsaLevel(1, "provenance present but not authenticated");
        }
        if (builder == null || builder.slsaLevel() < 3) {
            return new SlsaLevel(2, "signed provenance from a builder not listed at Build L3");
        }
        return new SlsaLevel(3, "signed by trusted builder " + builder.id() + " (" + builder.platform() + ", Build L3)");
    }

    @Override
    public String toString() {
        return "SLSA Build L" + level;
    }
}
