package dev.gatehouse.policy;

import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.StoredKeys;
import dev.gatehouse.rego.bundle.BundleException;
import dev.gatehouse.rego.bundle.BundleFiles;
import dev.gatehouse.rego.bundle.BundleVerification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Policy bundles by revision: from a blob store ({@code bundles/<revision>.tar.gz}, S3 in Lambda),
 * from a directory ({@code <dir>/<revision>.tar.gz} or {@code <dir>/<revision>/}), or the embedded
 * hardened bundle. Each revision is read, signature-checked and compiled once and kept for the life
 * of the process (a Lambda container serves many invocations); a failed load is not kept, so a
 * bundle uploaded late is picked up by the next call. The bundle's manifest must declare the
 * revision it is stored under: a bundle filed under the wrong name is refused, never evaluated
 * under a revision it is not.
 */
public final class PolicyBundleSource {

    /** The revision name that always selects the embedded hardened bundle. */
    public static final String EMBEDDED_REVISION = "embedded";
    public static final long MAX_BUNDLE_BYTES = 64L * 1024 * 1024;
    private static final int MAX_CACHED = 16;
    private static final Pattern REVISION_FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private interface Loader {
        PolicyBundle load(String revision) throws PolicyException;
    }

    private final String description;
    private final Loader loader;
    private final Map<String, PolicyBundle> compiled = new ConcurrentHashMap<>();

    private PolicyBundleSource(String description, Loader loader) {
        this.description = description;
        this.loader = loader;
    }

    /** Bundles stored as {@code bundles/<revision>.tar.gz}, checked with {@code verification}. */
    public static PolicyBundleSource blobStore(BlobStore blobs, BundleVerification verification, String query) {
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(verification, "verification");
        return new PolicyBundleSource("blob store", revision -> {
            String key = blobKey(revision);
            byte[] content;
            try {
                content = blobs.get(key, MAX_BUNDLE_BYTES).orElseThrow(
                        () -> new PolicyException("no policy bundle for revision " + revision + " (blob " + key + " is missing)"));
            } catch (StoreException e) {
                throw new PolicyException("cannot read policy bundle " + key + ": " + e.getMessage(), e);
            }
            try {
                return checked(revision, PolicyBundle.fromFiles(key, BundleFiles.readTarGz(key, content), verification, query));
            } catch (BundleException e) {
                throw new PolicyException(e.getMessage(), e);
            }
        });
    }

    /** Bundles under {@code directory} as {@code <revision>.tar.gz} or a {@code <revision>/} directory. */
    public static PolicyBundleSource directory(Path directory, BundleVerification verification, String query) {
        Objects.requireNonNull(verification, "verification");
        return new PolicyBundleSource("directory " + directory, revision -> {
            String name = fileName(revision);
            Path archive = directory.resolve(name + ".tar.gz");
            Path tree = directory.resolve(name);
            Path source = Files.isRegularFile(archive) ? archive : Files.isDirectory(tree) ? tree : null;
            if (source == null) {
                throw new PolicyException("no policy bundle for revision " + revision + " in " + directory
                        + " (neither " + archive.getFileName() + " nor " + tree.getFileName() + "/)");
            }
            return checked(revision, PolicyBundle.load(source, verification, query));
        });
    }

    /** Only the hardened bundle shipped inside Gatehouse: its own revision, or {@value #EMBEDDED_REVISION}. */
    public static PolicyBundleSource embedded() {
        return new PolicyBundleSource("embedded bundles", new Loader() {
            private PolicyBundle hardened;

            @Override
            public synchronized PolicyBundle load(String revision) throws PolicyException {
                if (hardened == null) {
                    hardened = PolicyBundle.hardened();
                }
                if (revision.equals(EMBEDDED_REVISION) || revision.equals(hardened.revision())) {
                    return hardened;
                }
                throw new PolicyException("no embedded policy bundle has revision " + revision
                        + " (the embedded one is " + hardened.revision() + ")");
            }
        });
    }

    /** The compiled bundle of {@code revision}; the first call per revision loads it, later ones reuse it. */
    public PolicyBundle bundle(String revision) throws PolicyException {
        try {
            StoredKeys.token("policy revision", revision);
        } catch (IllegalArgumentException e) {
            throw new PolicyException(e.getMessage(), e);
        }
        PolicyBundle cached = compiled.get(revision);
        if (cached != null) {
            return cached;
        }
        PolicyBundle loaded = loader.load(revision);
        if (compiled.size() >= MAX_CACHED) {
            compiled.clear();
        }
        PolicyBundle raced = compiled.putIfAbsent(revision, loaded);
        return raced == null ? loaded : raced;
    }

    /** The blob key of a revision's bundle. */
    public static String blobKey(String revision) throws PolicyException {
        return "bundles/" + fileName(revision) + ".tar.gz";
    }

    @Override
    public String toString() {
        return "PolicyBundleSource[" + description + "]";
    }

    private static String fileName(String revision) throws PolicyException {
        if (!REVISION_FILE_NAME.matcher(revision).matches()) {
            throw new PolicyException("policy revision '" + revision
                    + "' cannot name a stored bundle: use letters, digits, '.', '_' and '-' (at most 200)");
        }
        return revision;
    }

    private static PolicyBundle checked(String revision, PolicyBundle bundle) throws PolicyException {
        if (!bundle.revision().equals(revision)) {
            throw new PolicyException("policy bundle " + bundle.source() + " declares revision " + bundle.revision()
                    + " in its .manifest, not " + revision + ": refusing to evaluate it under a revision it is not");
        }
        return bundle;
    }
}
