package dev.gatehouse.rebuild;

import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.ports.BuildRunner;

/**
 * Where the SBOM of a rebuilt image comes from: a generator run here on the pushed image
 * ({@link CdxgenSbom}, for buildah), or the document the build itself produced and attached
 * ({@link BuildAttachedSbom}, for CodeBuild, since no generator runs inside Lambda). The
 * {@link RebuildHardener} validates whatever it gets before signing it.
 */
public interface RebuiltImageSbom {

    /** The SBOM (CycloneDX JSON) of {@code image}, pushed to {@code repository} by {@code request}. */
    byte[] sbomOf(OciRepository repository, Descriptor image, BuildRunner.BuildRequest request, BuildRunner.Succeeded result)
            throws HardeningException, InterruptedException;
}
