package dev.gatehouse.sbom;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives the facts policies ask about from the components and files an SBOM lists: shells and
 * package managers (by package name, or by executable path for file entries), setuid files (from
 * file-mode properties, when the generator records them), and the distribution (from the
 * {@code distro} qualifier of OS package purls).
 */
final class InventoryFactsCollector {

    private static final Set<String> SHELL_PACKAGES = Set.of("bash", "dash", "ash", "zsh", "ksh", "mksh", "tcsh",
            "csh", "fish", "busybox", "busybox-binsh", "busybox-static", "yash", "loksh", "oksh", "posh", "sh",
            "bash-static", "toybox");
    private static final Set<String> SHELL_EXECUTABLES = Set.of("sh", "bash", "dash", "ash", "zsh", "ksh", "mksh",
            "tcsh", "csh", "fish", "busybox", "yash", "toybox");
    private static final Set<String> PACKAGE_MANAGER_PACKAGES = Set.of("apk-tools", "dpkg", "apt", "rpm", "yum",
            "dnf", "microdnf", "tdnf", "zypper", "libzypp", "pacman", "opkg", "portage", "python3-pip", "py3-pip",
            "python-pip", "python3-pip-whl");
    private static final Set<String> LANGUAGE_PACKAGE_MANAGERS = Set.of("pip", "npm", "yarn", "pnpm", "pipenv",
            "poetry", "bundler", "composer");
    private static final Set<String> PACKAGE_MANAGER_EXECUTABLES = Set.of("apk", "dpkg", "apt", "apt-get", "rpm",
            "yum", "dnf", "microdnf", "tdnf", "zypper", "pacman", "opkg", "pip", "pip3", "npm", "yarn", "pnpm");
    private static final Pattern BIN_DIR = Pattern.compile("/(usr/(local/)?)?s?bin/([^/]+)");
    private static final Pattern DISTRO = Pattern.compile("([a-z][a-z0-9._]*?)-([0-9][A-Za-z0-9.+~_-]*)");
    private static final Pattern OCTAL_MODE = Pattern.compile("0?[0-7]{3,6}");

    private InventoryFactsCollector() {}

    static InventoryFacts collect(List<Component> components, List<Component> files) {
        Set<String> shells = new TreeSet<>();
        Set<String> managers = new TreeSet<>();
        Set<String> setuid = new TreeSet<>();
        for (Component c : components) {
            String name = c.name().toLowerCase(Locale.ROOT);
            if (c.kind() == ComponentKind.FILE) {
                byPath(c.name(), shells, managers);
            } else if (c.kind() == ComponentKind.LANGUAGE_PACKAGE) {
                if (LANGUAGE_PACKAGE_MANAGERS.contains(name)) {
                    managers.add(c.name());
                }
            } else {
                if (SHELL_PACKAGES.contains(name)) {
                    shells.add(c.name());
                }
                if (PACKAGE_MANAGER_PACKAGES.contains(name)) {
                    managers.add(c.name());
                }
            }
            if (isSetuid(c)) {
                setuid.add(pathOf(c));
            }
        }
        for (Component f : files) {
            byPath(f.name(), shells, managers);
            if (isSetuid(f)) {
                setuid.add(f.name());
            }
        }
        return new InventoryFacts(List.copyOf(shells), List.copyOf(managers), List.copyOf(setuid));
    }

    private static void byPath(String path, Set<String> shells, Set<String> managers) {
        Matcher m = BIN_DIR.matcher(path);
        if (!m.matches()) {
            return;
        }
        String executable = m.group(3);
        if (SHELL_EXECUTABLES.contains(executable)) {
            shells.add(path);
        }
        if (PACKAGE_MANAGER_EXECUTABLES.contains(executable)) {
            managers.add(path);
        }
    }

    /**
     * Whether a property records a file mode with the setuid bit: an octal mode ("4755",
     * "0104755"), a symbolic one ("-rwsr-xr-x"), or an explicit setuid flag.
     */
    static boolean isSetuid(Component c) {
        for (ComponentProperty p : c.properties()) {
            String name = p.name().toLowerCase(Locale.ROOT);
            String value = p.value().strip();
            if ((name.endsWith("setuid") || name.endsWith(":suid")) && value.equalsIgnoreCase("true")) {
                return true;
            }
            if (!(name.endsWith("mode") || name.endsWith("permissions"))) {
                continue;
            }
            if (OCTAL_MODE.matcher(value).matches() && (Integer.parseInt(value, 8) & 04000) != 0) {
                return true;
            }
            if (value.length() == 10 && (value.charAt(3) == 's' || value.charAt(3) == 'S')) {
                return true;
            }
        }
        return false;
    }

    private static String pathOf(Component c) {
        if (c.kind() != ComponentKind.FILE) {
            for (ComponentProperty p : c.properties()) {
                if (p.name().endsWith(":path") && p.value().startsWith("/")) {
                    return p.value();
                }
            }
        }
        return c.name();
    }

    /**
     * The most common {@code distro} qualifier of OS packages, split into name and version; failing
     * that, the most common namespace of OS package purls (e.g. {@code wolfi}), without version.
     */
    static OperatingSystem distroOf(List<Component> components) {
        Map<String, Integer> distros = new HashMap<>();
        Map<String, Integer> namespaces = new HashMap<>();
        for (Component c : components) {
            if (c.kind() == ComponentKind.OS_PACKAGE && c.purl() != null) {
                String distro = c.purl().qualifiers().get("distro");
                if (distro != null && !distro.isBlank()) {
                    distros.merge(distro, 1, Integer::sum);
                }
                if (c.purl().namespace() != null) {
                    namespaces.merge(c.purl().namespace(), 1, Integer::sum);
                }
            }
        }
        String distro = mostCommon(distros);
        if (distro != null) {
            Matcher m = DISTRO.matcher(distro);
            return m.matches() ? new OperatingSystem(m.group(1), m.group(2)) : new OperatingSystem(distro, null);
        }
        String namespace = mostCommon(namespaces);
        return namespace == null ? null : new OperatingSystem(namespace, null);
    }

    private static String mostCommon(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse(null);
    }
}
