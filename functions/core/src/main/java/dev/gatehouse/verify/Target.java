package dev.gatehouse.verify;

import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageIndex;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.Platform;
import dev.gatehouse.oci.SignedSubjects;
import java.util.List;

/**
 * What a reference resolved to: the manifest being verified (for a multi-platform reference, the
 * selected platform's), the index it came from when the reference named one, and the platforms
 * that index offers. Everything downstream works on {@link #digest()}, never on the tag.
 */
public record Target(ImageReference reference, OciRepository repository, Descriptor descriptor, ImageManifest manifest,
                     ImageIndex referencedIndex, List<Platform> platforms) {

    public Target {
        platforms = List.copyOf(platforms);
    }

    public Digest digest() {
        return descriptor.digest();
    }

    /** The digests whose signatures and attestations count for this target (docs/oci.md, the digest rule). */
    public List<Digest> subjects() {
        return SignedSubjects.forTarget(digest(), referencedIndex);
    }
}
