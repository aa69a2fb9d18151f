package dev.gatehouse.verify;

import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.ImageIndex;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.Platform;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.oci.ResolvedImage;
import java.util.List;
import java.util.Objects;

/**
 * Resolves a reference to the one image manifest that gets verified. A tag is resolved once to a
 * digest and never consulted again. An index is narrowed to one platform: the requested one, else
 * linux/amd64, else its only image.
 */
public final class TargetResolver {

    static final Platform DEFAULT_PLATFORM = Platform.of("linux", "amd64");

    private final OciRepositories repositories;

    public TargetResolver(OciRepositories repositories) {
        this.repositories = repositories;
    }

    public Target resolve(ImageReference reference, Platform wanted) throws RegistryException {
        ResolvedImage top = ResolvedImage.resolve(reference, repositories.open(reference));
        if (!(top.manifest() instanceof ImageIndex index)) {
            return new Target(top, (ImageManifest) top.manifest(), List.of());
        }
        List<Platform> platforms = index.manifests().stream()
                .filter(d -> MediaTypes.isImageManifest(d.mediaType()))
                .map(Descriptor::platform)
                .filter(Objects::nonNull)
                .filter(p -> !"unknown".equals(p.os()))
                .toList();
        Platform chosen = choose(index, wanted, platforms, top);
        ResolvedImage child = top.forPlatform(chosen).orElseThrow(() -> new RegistryException(RegistryException.Kind.NOT_FOUND,
                top.repository().name() + ": index " + index.digest() + " has no " + chosen + " image (it has " + platforms + ")"));
        if (!(child.manifest() instanceof ImageManifest image)) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, top.repository().name() + ": index "
                    + index.digest() + " entry " + child.digest() + " is not an image manifest");
        }
        return new Target(child, image, platforms);
    }

    private static Platform choose(ImageIndex index, Platform wanted, List<Platform> platforms, ResolvedImage top)
            throws RegistryException {
        if (wanted != null) {
            return wanted;
        }
        if (index.manifestFor(DEFAULT_PLATFORM).isPresent() || platforms.isEmpty()) {
            return DEFAULT_PLATFORM;
        }
        if (platforms.size() == 1) {
            return platforms.get(0);
        }
        throw new RegistryException(RegistryException.Kind.NOT_FOUND, top.repository().name() + ": index " + index.digest()
                + " has no linux/amd64 image; choose one of " + platforms + " with --platform");
    }
}
