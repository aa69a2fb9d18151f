package dev.gatehouse.vex;

import dev.gatehouse.vuln.Finding;
import java.util.Optional;

/** What VEX says about one finding, with the statement that decided it. */
public sealed interface VexVerdict {

    Finding finding();

    boolean suppressed();

    /** The deciding statement (for a finding that stays: the latest statement about it, if any). */
    Optional<VexStatement> statement();

    /**
     * Suppressed by {@code statement}, which names {@code scope}: the component itself or an
     * ancestor (image, parent package) whose statement covers it.
     */
    record Suppressed(Finding finding, VexStatement decidingStatement, ProductIdentity scope) implements VexVerdict {
        @Override
        public boolean suppressed() {
            return true;
        }

        @Override
        public Optional<VexStatement> statement() {
            return Optional.of(decidingStatement);
        }
    }

    /** Not suppressed; {@code latest} is the newest statement that matched, or null when none did. */
    record Kept(Finding finding, VexStatement latest) implements VexVerdict {
        @Override
        public boolean suppressed() {
            return false;
        }

        @Override
        public Optional<VexStatement> statement() {
            return Optional.ofNullable(latest);
        }
    }
}
