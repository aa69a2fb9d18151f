package dev.gatehouse.rebuild;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Additions to a base image, declared as data (like Docker Hardened Images Enterprise
 * customisations): packages, CA certificates, users, environment and labels. Every name is checked
 * here because it ends up in a generated Containerfile.
 *
 * @param packageManager {@code apt} or {@code apk}; required when {@code packages} is not empty
 * @param caCertificates PEM files on this machine or PEM text given inline (a catalog inlined in a
 *     function's environment has no files), each one or more X.509 certificates
 * @param runAs the user the image runs as; required when anything needs a RUN step (packages,
 *     certificates, users), which runs as root, so the base's user is never silently replaced by root
 */
public record Customisation(String packageManager, List<String> packages, List<CaCertificate> caCertificates, List<User> users,
                            Map<String, String> environment, Map<String, String> labels, String runAs) {

    static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.~_-]{0,127}(?:=[A-Za-z0-9+.~:_-]{1,64})?");
    static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,254}");
    static final Pattern RUN_AS = Pattern.compile("[a-z_][a-z0-9_-]{0,31}|[0-9]{1,10}(?::[0-9]{1,10})?");
    static final int MAX_ITEMS = 256;
    static final int MAX_VALUE = 4096;
    static final int MAX_INLINE_CERTIFICATE = 64 * 1024;

    /** Where a CA certificate comes from; checked as PEM X.509 when the build context is written. */
    public sealed interface CaCertificate {

        /** A PEM file on this machine. */
        record File(Path path) implements CaCertificate {
            public File {
                Objects.requireNonNull(path, "path");
            }
        }

        /** PEM text in the catalog itself. */
        record Inline(String pem) implements CaCertificate {
            public Inline {
                if (pem == null || pem.length() > MAX_INLINE_CERTIFICATE) {
                    throw new IllegalArgumentException("an inline CA certificate must be PEM text of at most " + MAX_INLINE_CERTIFICATE + " characters");
                }
            }
        }
    }

    /** A user (and its group, same name) to add; {@code home} defaults to {@code /home/NAME}. */
    public record User(String name, long uid, long gid, String home) {
        public User {
            if (name == null || !USER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid user name '" + name + "' (lower-case letters, digits, '_' and '-', at most 32)");
            }
            if (uid < 1 || uid > 4_294_967_294L || gid < 1 || gid > 4_294_967_294L) {
                throw new IllegalArgumentException("user '" + name + "': uid and gid must be between 1 and 4294967294 (0 is root)");
            }
            home = home == null ? "/home/" + name : home;
            if (!home.matches("/[A-Za-z0-9._/-]{0,254}")) {
                throw new IllegalArgumentException("user '" + name + "': invalid home directory '" + home + "'");
            }
        }
    }

    public Customisation {
        packages = List.copyOf(packages);
        caCertificates = List.copyOf(caCertificates);
        users = List.copyOf(users);
        environment = Map.copyOf(environment);
        labels = Map.copyOf(labels);
        bound("packages", packages.size());
        bound("caCertificates", caCertificates.size());
        bound("users", users.size());
        bound("environment", environment.size());
        bound("labels", labels.size());
        for (String p : packages) {
            if (!PACKAGE.matcher(p).matches()) {
                throw new IllegalArgumentException("invalid package name '" + p + "'");
            }
        }
        if (!packages.isEmpty() && !"apt".equals(packageManager) && !"apk".equals(packageManager)) {
            throw new IllegalArgumentException("packages need a packageManager, apt or apk (got '" + packageManager + "')");
        }
        environment.forEach((k, v) -> {
            if (!ENV_NAME.matcher(k).matches()) {
                throw new IllegalArgumentException("invalid environment variable name '" + k + "'");
            }
            value("environment " + k, v);
        });
        labels.forEach((k, v) -> {
            if (!LABEL_KEY.matcher(k).matches()) {
                throw new IllegalArgumentException("invalid label key '" + k + "'");
            }
            value("label " + k, v);
        });
        if (runAs != null && !RUN_AS.matcher(runAs).matches()) {
            throw new IllegalArgumentException("invalid runAs '" + runAs + "' (a user name, UID or UID:GID)");
        }
        if (needsRun(packages, caCertificates, users) && runAs == null) {
            throw new IllegalArgumentException("a customisation that adds packages, certificates or users must name runAs: "
                    + "those steps run as root, and the image must not silently end up running as root");
        }
        Objects.requireNonNull(caCertificates, "caCertificates");
    }

    /** Whether the generated Containerfile needs RUN steps (a shell in the base). */
    public boolean needsRun() {
        return needsRun(packages, caCertificates, users);
    }

    private static boolean needsRun(List<String> packages, List<CaCertificate> certificates, List<User> users) {
        return !packages.isEmpty() || !certificates.isEmpty() || !users.isEmpty();
    }

    private static void bound(String field, int size) {
        if (size > MAX_ITEMS) {
            throw new IllegalArgumentException(field + " has " + size + " entries, at most " + MAX_ITEMS);
        }
    }

    private static void value(String what, String v) {
        if (v == null || v.length() > MAX_VALUE || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(what + ": value must be at most " + MAX_VALUE + " characters without control characters");
        }
    }
}
