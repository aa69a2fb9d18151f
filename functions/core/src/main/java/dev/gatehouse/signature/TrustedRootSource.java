package dev.gatehouse.signature;

import dev.gatehouse.io.MalformedInputException;
import java.nio.file.Path;

/**
 * Where an authority's trusted root comes from, loaded only when a check needs it: a
 * {@code trusted_root.json} file, or the Sigstore public-good root through TUF (network).
 */
public final class TrustedRootSource {

    private static volatile TrustedRoot publicGood;

    private final Path file;
    private volatile TrustedRoot loaded;

    private TrustedRootSource(Path file) {
        this.file = file;
    }

    public static TrustedRootSource file(Path file) {
        return new TrustedRootSource(file);
    }

    /** The Sigstore public-good instance through TUF: reaches the network on first use. */
    public static TrustedRootSource publicGood() {
        return new TrustedRootSource(null);
    }

    public TrustedRoot get() throws MalformedInputException {
        TrustedRoot root = loaded;
        if (root == null) {
            if (file != null) {
                root = TrustedRoot.load(file);
            } else {
                root = publicGood;
                if (root == null) {
                    root = TrustedRoot.fromTuf(false);
                    publicGood = root;
                }
            }
            loaded = root;
        }
        return root;
    }

    @Override
    public String toString() {
        return file != null ? file.toString() : "Sigstore public good (TUF)";
    }
}
