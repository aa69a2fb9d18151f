package dev.gatehouse.sbom;

import java.util.List;

/**
 * Facts policies ask about, derived from what the SBOM reports: shells (bash, sh, busybox...),
 * package managers (apk-tools, dpkg, rpm, pip...), and setuid files when the SBOM carries file
 * modes. An SBOM that does not list a thing is no proof that the image lacks it.
 */
public record InventoryFacts(List<String> shells, List<String> packageManagers, List<String> setuidFiles) {

    public static final InventoryFacts NONE = new InventoryFacts(List.of(), List.of(), List.of());

    public InventoryFacts {
        shells = List.copyOf(shells);
        packageManagers = List.copyOf(packageManagers);
        setuidFiles = List.copyOf(setuidFiles);
    }

    public boolean hasShell() {
        return !shells.isEmpty();
    }

    public boolean hasPackageManager() {
        return !packageManagers.isEmpty();
    }
}
