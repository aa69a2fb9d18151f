package dev.gatehouse.vex;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which statuses suppress a finding: policy data, by default not_affected and fixed.
 */
public record VexPolicy(Set<VexStatus> suppressing) {

    public VexPolicy {
        suppressing = suppressing.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(suppressing));
    }

    public static VexPolicy defaults() {
        return new VexPolicy(EnumSet.of(VexStatus.NOT_AFFECTED, VexStatus.FIXED));
    }

    public boolean suppresses(VexStatus status) {
        return suppressing.contains(status);
    }
}
