package dev.gatehouse.sbom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A package URL (purl, https://github.com/package-url/purl-spec), parsed the way the spec's
 * reference parsers do: {@code pkg:type/namespace/name@version?qualifiers#subpath}. Components in
 * SBOMs, VEX products and scanner findings are all matched through this one type.
 */
public record PackageUrl(
        String type, String namespace, String name, String version, Map<String, String> qualifiers, String subpath) {

    private static final int MAX_LENGTH = 4096;

    public PackageUrl {
        if (type == null || type.isEmpty()) {
            throw new IllegalArgumentException("purl has no type");
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("purl has no name");
        }
        qualifiers = qualifiers == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(qualifiers));
    }

    /** Parses a purl; throws {@link IllegalArgumentException} naming what is wrong. */
    public static PackageUrl parse(String purl) {
        if (purl == null || purl.isBlank()) {
            throw new IllegalArgumentException("empty purl");
        }
        if (purl.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("purl longer than " + MAX_LENGTH + " characters");
        }
        String rest = purl.strip();
        String subpath = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            subpath = trimSlashes(rest.substring(hash + 1));
            subpath = subpath.isEmpty() ? null : decode(subpath);
            rest = rest.substring(0, hash);
        }
        Map<String, String> qualifiers = new TreeMap<>();
        int question = rest.indexOf('?');
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("purl qualifier '" + pair + "' is not key=value");
                }
                String value = decode(pair.substring(eq + 1));
                if (!value.isEmpty()) {
                    qualifiers.put(pair.substring(0, eq).toLowerCase(Locale.ROOT), value);
                }
            }
            rest = rest.substring(0, question);
        }
        if (!rest.regionMatches(true, 0, "pkg:", 0, 4)) {
            throw new IllegalArgumentException("purl '" + abbreviate(purl) + "' does not start with pkg:");
        }
        rest = trimSlashes(rest.substring(4));
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("purl '" + abbreviate(purl) + "' has no type/name");
        }
        String type = rest.substring(0, slash).toLowerCase(Locale.ROOT);
        rest = trimSlashes(rest.substring(slash + 1));
        String version = null;
        int at = rest.lastIndexOf('@');
        if (at > 0 && at > rest.lastIndexOf('/')) {
            version = decode(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        int lastSlash = rest.lastIndexOf('/');
        String name = decode(lastSlash >= 0 ? rest.substring(lastSlash + 1) : rest);
        String namespace = null;
        if (lastSlash > 0) {
            namespace = Arrays.stream(rest.substring(0, lastSlash).split("/"))
                    .filter(s -> !s.isEmpty())
                    .map(PackageUrl::decode)
                    .collect(Collectors.joining("/"));
        }
        if (namespace != null && namespace.isEmpty()) {
            namespace = null;
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("purl '" + abbreviate(purl) + "' has no name");
        }
        return normalise(type, namespace, name, version == null || version.isEmpty() ? null : version, qualifiers, subpath);
    }

    public static Optional<PackageUrl> tryParse(String purl) {
        try {
            return Optional.of(parse(purl));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether this purl, used as a VEX product or an advisory's package, names the given component:
     * type, namespace and name equal; a version-less purl covers every version; every qualifier of
     * this purl must be present with the same value in the other (a qualifier subset).
     */
    public boolean covers(PackageUrl component) {
        if (!type.equals(component.type) || !name.equals(component.name)
                || !Objects.equals(namespace, component.namespace)) {
            return false;
        }
        if (version != null && !version.equals(component.version)) {
            return false;
        }
        for (var q : qualifiers.entrySet()) {
            if (!q.getValue().equals(component.qualifiers.get(q.getKey()))) {
                return false;
            }
        }
        return subpath == null || subpath.equals(component.subpath);
    }

    /** The same package without version, qualifiers and subpath: the key a package is indexed by. */
    public String coordinates() {
        return "pkg:" + type + "/" + (namespace == null ? "" : encodePath(namespace) + "/") + encode(name);
    }

    public PackageUrl withoutVersion() {
        return new PackageUrl(type, namespace, name, null, qualifiers, subpath);
    }

    /** The canonical string form. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(coordinates());
        if (version != null) {
            sb.append('@').append(encode(version));
        }
        if (!qualifiers.isEmpty()) {
            sb.append('?').append(qualifiers.entrySet().stream()
                    .map(e -> e.getKey() + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&")));
        }
        if (subpath != null) {
            sb.append('#').append(encodePath(subpath));
        }
        return sb.toString();
    }

    private static PackageUrl normalise(String type, String namespace, String name, String version,
            Map<String, String> qualifiers, String subpath) {
        switch (type) {
            case "github", "bitbucket", "composer" -> {
                namespace = namespace == null ? null : namespace.toLowerCase(Locale.ROOT);
                name = name.toLowerCase(Locale.ROOT);
            }
            case "pypi" -> name = name.toLowerCase(Locale.ROOT).replace('_', '-');
            case "deb", "apk", "alpm" -> {
                namespace = namespace == null ? null : namespace.toLowerCase(Locale.ROOT);
            }
            case "oci" -> name = name.toLowerCase(Locale.ROOT);
            default -> { }
        }
        return new PackageUrl(type, namespace, name, version, qualifiers, subpath);
    }

    private static String trimSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("purl has an invalid percent-encoding near '" + abbreviate(s) + "'");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '%') {
                throw new IllegalArgumentException("purl has a truncated percent-encoding in '" + abbreviate(s) + "'");
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String encodePath(String path) {
        return Arrays.stream(path.split("/")).map(PackageUrl::encode).collect(Collectors.joining("/"));
    }

    private static String encode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || c == '~' || c == '+') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
