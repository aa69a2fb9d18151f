package dev.gatehouse.sbom;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A component being read from a document, before it is classified and frozen. */
final class ComponentDraft {

    String ref;
    String name;
    String version;
    PackageUrl purl;
    String type;
    String supplier;
    final Set<String> licenses = new LinkedHashSet<>();
    final Map<String, String> hashes = new TreeMap<>();
    final List<ComponentProperty> properties = new ArrayList<>();

    String property(String propertyName) {
        for (ComponentProperty p : properties) {
            if (p.name().equals(propertyName)) {
                return p.value();
            }
        }
        return null;
    }

    void hash(String algorithm, String value) {
        if (algorithm != null && value != null && !value.isEmpty()) {
            hashes.putIfAbsent(normaliseAlgorithm(algorithm), value.toLowerCase(Locale.ROOT));
        }
    }

    Component build(ComponentKind kind) {
        return new Component(ref, name, blankToNull(version), purl, blankToNull(type), kind, List.copyOf(licenses),
                blankToNull(supplier), hashes, properties);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    Component build() {
        return build(ComponentClassifier.classify(type, purl, this));
    }

    /** CycloneDX and SPDX spell algorithms differently ("SHA-256", "SHA256", "SHA3_256"); use CycloneDX's. */
    static String normaliseAlgorithm(String algorithm) {
        String a = algorithm.strip().toUpperCase(Locale.ROOT).replace('_', '-');
        if (a.matches("SHA[0-9]{1,3}")) {
            return "SHA-" + a.substring(3);
        }
        if (a.startsWith("BLAKE")) {
            return a.replace("BLAKE2B", "BLAKE2b");
        }
        return a;
    }
}
