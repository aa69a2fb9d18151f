package dev.gatehouse.sbom;

import java.util.Locale;
import java.util.Set;

/**
 * Decides a component's {@link ComponentKind}: by the document's own type for containers and
 * files, then by purl type, then by the generator's package-type property (syft, trivy), then by
 * the document type, else {@link ComponentKind#OTHER}.
 */
final class ComponentClassifier {

    static final Set<String> OS_PURL_TYPES = Set.of("deb", "apk", "rpm", "alpm", "ebuild", "opkg", "qpkg");
    static final Set<String> LANGUAGE_PURL_TYPES = Set.of("npm", "maven", "pypi", "golang", "gem", "cargo", "nuget",
            "composer", "hex", "pub", "cocoapods", "swift", "conan", "conda", "cran", "hackage", "clojars", "cpan",
            "julia", "luarocks", "bower", "carthage", "swid-npm", "gradle");
    private static final Set<String> CONTAINER_PURL_TYPES = Set.of("oci", "docker");
    /** syft:package:type values of OS package databases. */
    private static final Set<String> SYFT_OS_TYPES = Set.of("apk", "deb", "rpm", "alpm", "portage", "nix", "opkg");
    private static final Set<String> SYFT_APPLICATION_TYPES = Set.of("binary", "linux-kernel", "linux-kernel-module",
            "github-action", "github-action-workflow");
    /** aquasecurity:trivy:PkgType / Type values naming an OS family. */
    private static final Set<String> TRIVY_OS_TYPES = Set.of("alpine", "debian", "ubuntu", "redhat", "centos",
            "rocky", "alma", "amazon", "oracle", "photon", "suse", "opensuse", "opensuse.leap", "opensuse.tumbleweed",
            "sles", "wolfi", "chainguard", "cbl-mariner", "azurelinux", "fedora", "echo", "minimos", "bottlerocket");

    private ComponentClassifier() {}

    /**
     * @param documentType CycloneDX {@code type} or SPDX {@code primaryPackagePurpose}, or null
     */
    static ComponentKind classify(String documentType, PackageUrl purl, ComponentDraft properties) {
        String type = documentType == null ? "" : documentType.toLowerCase(Locale.ROOT);
        if (type.equals("container")) {
            return ComponentKind.CONTAINER;
        }
        if (type.equals("file")) {
            return ComponentKind.FILE;
        }
        if (type.equals("operating-system")) {
            return ComponentKind.OTHER;
        }
        if (purl != null) {
            if (OS_PURL_TYPES.contains(purl.type())) {
                return ComponentKind.OS_PACKAGE;
            }
            if (LANGUAGE_PURL_TYPES.contains(purl.type())) {
                return ComponentKind.LANGUAGE_PACKAGE;
            }
            if (CONTAINER_PURL_TYPES.contains(purl.type())) {
                return ComponentKind.CONTAINER;
            }
        }
        ComponentKind byTool = byToolProperty(properties);
        if (byTool != null) {
            return byTool;
        }
        return switch (type) {
            case "application" -> ComponentKind.APPLICATION;
            default -> ComponentKind.OTHER;
        };
    }

    private static ComponentKind byToolProperty(ComponentDraft properties) {
        String syft = properties.property("syft:package:type");
        if (syft != null) {
            if (SYFT_OS_TYPES.contains(syft)) {
                return ComponentKind.OS_PACKAGE;
            }
            return SYFT_APPLICATION_TYPES.contains(syft) ? ComponentKind.APPLICATION : ComponentKind.LANGUAGE_PACKAGE;
        }
        String trivyClass = properties.property("aquasecurity:trivy:Class");
        if ("os-pkgs".equals(trivyClass)) {
            return ComponentKind.OS_PACKAGE;
        }
        if ("lang-pkgs".equals(trivyClass)) {
            return ComponentKind.LANGUAGE_PACKAGE;
        }
        String trivy = properties.property("aquasecurity:trivy:PkgType");
        if (trivy == null) {
            trivy = properties.property("aquasecurity:trivy:Type");
        }
        if (trivy != null) {
            return TRIVY_OS_TYPES.contains(trivy.toLowerCase(Locale.ROOT))
                    ? ComponentKind.OS_PACKAGE : ComponentKind.LANGUAGE_PACKAGE;
        }
        return null;
    }
}
