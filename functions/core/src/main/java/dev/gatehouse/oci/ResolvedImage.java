package dev.gatehouse.oci;

import java.util.List;
import java.util.Optional;

/**
 * A reference resolved to content: the repository it lives in, the descriptor and parsed manifest
 * or index it names, and the reference pinned to that digest. {@code referencedIndex} is the index
 * the user referenced when this is one of its platform manifests (see {@link SignedSubjects}), else
 * null.
 */
public record ResolvedImage(ImageReference reference, OciRepository repository, Descriptor descriptor, Manifest manifest,
                            ImageIndex referencedIndex) {

    /** Resolves {@code reference} in {@code repository}: tag or digest to descriptor, then the checked manifest. */
    public static ResolvedImage resolve(ImageReference reference, OciRepository repository) throws RegistryException {
        Descriptor descriptor = repository.resolve(reference.identifier());
        if (reference.digest() != null && !descriptor.digest().equals(reference.digest())) {
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, reference + ": resolved to " + descriptor.digest());
        }
        Manifest manifest = repository.manifest(descriptor);
        return new ResolvedImage(reference.withDigest(descriptor.digest()), repository, descriptor, manifest, null);
    }

    public Digest digest() {
        return descriptor.digest();
    }

    public boolean isIndex() {
        return manifest instanceof ImageIndex;
    }

    /**
     * The platform manifest of this index for {@code platform}, carrying this index as its
     * referenced index; empty when the index has no such platform. A single-platform image is
     * returned as it is (its config names its platform; callers that care compare it).
     */
    public Optional<ResolvedImage> forPlatform(Platform platform) throws RegistryException {
        if (!(manifest instanceof ImageIndex index)) {
            return Optional.of(this);
        }
        Optional<Descriptor> entry = index.manifestFor(platform);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Manifest child = repository.manifest(entry.get());
        return Optional.of(new ResolvedImage(reference.withDigest(entry.get().digest()), repository, entry.get(), child, index));
    }

    /** The digests whose signatures count for this image under the digest rule. */
    public List<Digest> signedSubjects() {
        return SignedSubjects.forTarget(descriptor.digest(), referencedIndex);
    }
}
