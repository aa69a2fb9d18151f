package dev.gatehouse.sbom;

import java.util.List;

/**
 * The outcome of checking an SBOM against its format: the format and spec version found, how it
 * was wrapped (a plain file, an in-toto statement, a DSSE envelope), and either valid or the
 * violations. Warnings never make a document invalid.
 */
public sealed interface SbomValidation {

    SbomFormat format();

    String specVersion();

    /** How the SBOM was carried, e.g. "in-toto statement in a DSSE envelope"; null for a plain document. */
    String wrapping();

    List<String> warnings();

    boolean isValid();

    record Valid(SbomFormat format, String specVersion, String wrapping, List<String> warnings)
            implements SbomValidation {
        public Valid {
            warnings = List.copyOf(warnings);
        }

        @Override
        public boolean isValid() {
            return true;
        }
    }

    record Invalid(SbomFormat format, String specVersion, String wrapping, List<SchemaViolation> violations,
            List<String> warnings) implements SbomValidation {
        public Invalid {
            violations = List.copyOf(violations);
            warnings = List.copyOf(warnings);
        }

        @Override
        public boolean isValid() {
            return false;
        }
    }
}
