package dev.gatehouse.verify;

import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.ImageIndex;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.Manifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.Platform;
import dev.gatehouse.oci.RegistryException;
import java.util.List;
import java.util.Objects;

/**
 * Resolves a reference to the one manifest that gets verified. A tag is resolved once to a digest
 * and never consulted again. An index is narrowed to one platform: the requested one, else
 * linux/amd64, else its only image.
 */
public final class TargetResolver {

    static final Platform DEFAULT_PLATFORM = Platform.of("linux", "amd64");

    private final OciRepositories repositories;

    public TargetResolver(OciRepositories repositories) {
        this.repositories = repositories;
    }

    public Target resolve(ImageReference reference, Platform wanted) throws RegistryException {
        OciRepository repository = repositories.open(reference);
        Descriptor top = repository.resolve(reference.digest() != null ? reference.digest().toString() : reference.tag());
        Manifest manifest = repository.manifest(top);
        if (manifest instanceof ImageManifest image) {
            return new Target(reference, repository, top, image, null, List.of());
        }
        ImageIndex index = (ImageIndex) manifest;
        List<Platform> platforms = index.manifests().stream()
                .filter(d -> MediaTypes.isImageManifest(d.mediaType()))
                .map(Descriptor::platform)
                .filter(Objects::nonNull)
                .filter(p -> !"unknown".equals(p.os()))
                .toList();
        Descriptor chosen = select(index, wanted, platforms, repository);
        Manifest child = repository.manifest(chosen);
        if (!(child instanceof ImageManifest image)) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, repository.name() + ": index "
                    + index.digest() + " entry " + chosen.digest() + " is not an image manifest");
        }
        return new Target(reference, repository, chosen, image, index, platforms);
    }

    private static Descriptor select(ImageIndex index, Platform wanted, List<Platform> platforms, OciRepository repository)
            throws RegistryException {
        if (wanted != null) {
            return index.manifestFor(wanted).orElseThrow(() -> new RegistryException(RegistryException.Kind.NOT_FOUND,
                    repository.name() + ": index " + index.digest() + " has no " + wanted + " image (it has "
                            + platforms + ")"));
        }
        var amd64 = index.manifestFor(DEFAULT_PLATFORM);
        if (amd64.isPresent()) {
            return amd64.get();
        }
        List<Descriptor> images = index.manifests().stream()
                .filter(d -> MediaTypes.isImageManifest(d.mediaType()))
                .filter(d -> d.platform() == null || !"unknown".equals(d.platform().os()))
                .toList();
        if (images.size() == 1) {
            return images.get(0);
        }
        throw new RegistryException(RegistryException.Kind.NOT_FOUND, repository.name() + ": index " + index.digest()
                + " has no linux/amd64 image; choose one of " + platforms + " with --platform");
    }
}
