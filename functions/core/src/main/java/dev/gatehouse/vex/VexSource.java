package dev.gatehouse.vex;

/**
 * Where a VEX document came from, set by the caller. Only documents supplied locally by the
 * operator or carried by an attestation whose signer is a configured VEX authority are trusted;
 * the merger ignores every other document and the report lists it.
 */
public sealed interface VexSource {

    boolean trusted();

    /** A human-readable description for reports. */
    String describe();

    /** A file the operator supplied (command line, configuration): trusted. */
    record OperatorSupplied(String location) implements VexSource {
        @Override
        public boolean trusted() {
            return true;
        }

        @Override
        public String describe() {
            return "supplied by the operator (" + location + ")";
        }
    }

    /** An attestation whose signature was verified and whose signer is a configured VEX authority. */
    record Attestation(String signerIdentity) implements VexSource {
        @Override
        public boolean trusted() {
            return true;
        }

        @Override
        public String describe() {
            return "attestation signed by " + signerIdentity;
        }
    }

    /** Found somewhere but not signed by a configured authority: listed, never applied. */
    record Untrusted(String reason) implements VexSource {
        @Override
        public boolean trusted() {
            return false;
        }

        @Override
        public String describe() {
            return "untrusted (" + reason + ")";
        }
    }
}
