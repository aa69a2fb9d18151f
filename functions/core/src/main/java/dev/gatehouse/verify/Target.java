package dev.gatehouse.verify;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.Platform;
import dev.gatehouse.oci.ResolvedImage;
import java.util.List;

/**
 * What a reference resolved to: the image manifest being verified (for a multi-platform
 * reference, the selected platform's, carrying the referenced index for the digest rule) and the
 * platforms that index offers. Everything downstream works on {@link #digest()}, never on a tag.
 */
public record Target(ResolvedImage image, ImageManifest manifest, List<Platform> platforms) {

    public Target {
        platforms = List.copyOf(platforms);
    }

    public Digest digest() {
        return image.digest();
    }

    public OciRepository repository() {
        return image.repository();
    }

    /** The digests whose signatures and attestations count for this target (docs/oci.md, the digest rule). */
    public List<Digest> subjects() {
        return image.signedSubjects();
    }
}
