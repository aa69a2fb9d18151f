package dev.gatehouse.oci;

import java.util.ArrayList;
import java.util.List;

/**
 * The digest rule for multi-platform images (docs/oci.md): which subjects' signatures and
 * attestations count for the digest being verified.
 *
 * <ul>
 *   <li>A signature counts for exactly the digest it covers. Verifying an index needs a signature
 *   on the index; signatures on all of its platform manifests do not make up for it (the index
 *   could list more).</li>
 *   <li>A signature on an index also covers a platform manifest when, and only when, that index is
 *   the one the user referenced (the tag or digest being admitted resolved to it) and it lists the
 *   platform manifest directly as an image manifest entry. The signed index bytes commit to the
 *   child digest, so this is still a signature over content; we never search for "some signed
 *   index that happens to contain this digest".</li>
 * </ul>
 */
public final class SignedSubjects {

    private SignedSubjects() {}

    /**
     * The digests whose signatures and attestations count for {@code target}: the target itself,
     * then {@code referencedIndex} if it is not null, is not the target, and lists the target
     * directly as an image manifest.
     */
    public static List<Digest> forTarget(Digest target, ImageIndex referencedIndex) {
        List<Digest> subjects = new ArrayList<>(2);
        subjects.add(target);
        if (referencedIndex != null && !referencedIndex.digest().equals(target) && listsDirectly(referencedIndex, target)) {
            subjects.add(referencedIndex.digest());
        }
        return subjects;
    }

    /** Whether a signature over {@code signed} covers {@code target} under this rule. */
    public static boolean covers(Digest signed, Digest target, ImageIndex referencedIndex) {
        return forTarget(target, referencedIndex).contains(signed);
    }

    private static boolean listsDirectly(ImageIndex index, Digest child) {
        return index.manifests().stream()
                .anyMatch(d -> d.digest().equals(child) && MediaTypes.isImageManifest(d.mediaType()));
    }
}
